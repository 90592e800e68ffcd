package dev.syft.core.internal;

import dev.syft.protocol.DatasitePaths;
import dev.syft.transport.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Files in a peer's message folders that the peer did not write, where the store can tell ({@link
 * dev.syft.transport.Storage#vouchesForOwners()}: Drive yes, a shared folder no). Until messages are
 * signed, someone else with write access could plant messages there; {@code status} shows them as a
 * warning. Nothing is refused for it: the sender checks of each message still apply.
 */
final class Writers {
  private static final String KEY = "foreign:";

  private Writers() {}

  /** Records what {@code entries} of {@code peer}'s {@code folder} (inbox or outbox) were not written by the peer. */
  static void check(SyncContext ctx, String peer, String folder, List<Entry> entries) {
    if (!ctx.storage().vouchesForOwners()) {
      return;
    }
    TreeSet<String> writers = new TreeSet<>();
    int count = 0;
    String example = null;
    for (Entry e : entries) {
      if (!e.folder() && e.owner() != null && !e.owner().equalsIgnoreCase(peer)) {
        count++;
        writers.add(e.owner());
        example = example == null ? e.name() : example;
      }
    }
    String key = KEY + peer + "|" + folder;
    Optional<String> old = ctx.db().meta(key);
    if (count == 0) {
      if (old.isPresent()) {
        ctx.db().removeMeta(key);
      }
      return;
    }
    String value = count + "\t" + String.join(", ", writers) + "\t" + DatasitePaths.printable(example) + "\t" + peer
        + "\t" + folder;
    if (!old.equals(Optional.of(value))) {
      ctx.db().setMeta(key, value);
    }
  }

  /** One status warning per folder holding files its peer did not write. */
  static List<String> warnings(StateDb db) {
    List<String> out = new ArrayList<>();
    for (String v : db.metaWithPrefix(KEY).values()) {
      String[] f = v.split("\t", 5);
      if (f.length == 5) {
        out.add(f[0] + " file(s) in the " + f[4] + " of " + f[3] + " were written by " + f[1] + ", not by " + f[3]
            + " (e.g. " + f[2] + "); only " + f[3] + " should write there");
      }
    }
    return out;
  }
}
