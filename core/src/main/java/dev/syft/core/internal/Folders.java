package dev.syft.core.internal;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.layout.BoxType;
import dev.syft.transport.layout.PeerFolder;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync engine's view of the transport layout. Wraps {@link SyftLayout} and remembers, from one
 * discovery query per round, every folder peers created for our datasite, so draining inboxes and
 * publishing to outboxes costs no further lookups.
 */
final class Folders {
  private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

  private final SyftLayout layout;
  private volatile List<PeerFolder> discovered;

  Folders(Storage storage, String clientVersion) {
    this.layout = new SyftLayout(storage, clientVersion);
  }

  SyftLayout layout() {
    return layout;
  }

  /** Our own event log folder {@code <version>#<me>}. */
  Entry eventLog() throws IOException {
    return layout.ensureEventLog();
  }

  /** The archive for processed proposals from {@code sender}. */
  Entry archive(String sender) throws IOException {
    return layout.ensureArchive(sender);
  }

  /** Our folder {@code ...#<datasite>#inbox#<me>}: proposals from us to the datasite's owner. */
  Entry myInboxAt(String datasite) throws IOException {
    return layout.findPeerDatasiteFolder(datasite, BoxType.INBOX)
        .orElseThrow(() -> missing("our inbox folder for " + datasite + " is missing; run 'syft peers add " + datasite + "'"));
  }

  /** Our folder {@code ...#<datasite>#outbox#<me>}: events from the datasite's owner to us. */
  Entry myOutboxFrom(String datasite) throws IOException {
    return layout.findPeerDatasiteFolder(datasite, BoxType.OUTBOX)
        .orElseThrow(() -> missing("our outbox folder for " + datasite + " is missing; run 'syft peers add " + datasite + "'"));
  }

  /**
   * Creates (or reuses) our inbox/outbox pair for {@code peer}'s datasite and lets the peer write
   * both. This is a contact request, or the approval of one.
   */
  void ensurePairFor(String peer) throws IOException {
    layout.ensurePeerDatasiteFolders(peer);
  }

  /**
   * Deletes our inbox/outbox pair for {@code peer}'s datasite, if there is one: a withdrawn request or
   * a dropped contact. Returns whether anything was deleted.
   */
  boolean deletePairFor(String peer) throws IOException {
    var pair = layout.findPeerDatasiteFolders(peer);
    if (pair.isEmpty()) {
      return false;
    }
    layout.storage().delete(pair.get().inbox());
    layout.storage().delete(pair.get().outbox());
    layout.forgetCachedFolders();
    return true;
  }

  /**
   * Lists the P2P folders other users created for our datasite (one storage call; any x.y.z version
   * in their names, as PySyft 0.10 looks) and remembers them for {@link #peerOwnedInbox} and {@link
   * #peerOwnedOutbox}. Duplicates resolve to the highest version, then the oldest, with a warning,
   * instead of failing the sync.
   */
  List<PeerFolder> discover() throws IOException {
    List<PeerFolder> all = new ArrayList<>();
    for (PeerFolder f : layout.listPeerRequestFolders()) {
      if (f.compatible()) {
        all.add(f);
      }
    }
    // the layout lists a peer's folders highest version first, then oldest first: the first one wins
    List<PeerFolder> unique = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (PeerFolder f : all) {
      if (keys.add(f.peer() + "#" + f.name().type())) {
        unique.add(f);
      } else {
        LOG.warn("two {} folders from {} for our datasite; using the one of the highest version (then the older),"
            + " ignoring '{}' ({})",
            f.name().type().wire(), f.peer(), f.folder().name(), f.folder().id());
      }
    }
    discovered = List.copyOf(unique);
    return discovered;
  }

  /** Whether a discovery ran in this client's life (its result is then known). */
  boolean discovered() {
    return discovered != null;
  }

  /** Ids of the peer folders found by the last discovery (none before one). */
  Set<String> discoveredIds() {
    Set<String> out = new HashSet<>();
    List<PeerFolder> d = discovered;
    if (d != null) {
      d.forEach(f -> out.add(f.folder().id()));
    }
    return out;
  }

  /** The peer-owned inbox {@code ...#<me>#inbox#<peer>}, as of the last discovery. */
  Optional<Entry> peerOwnedInbox(String peer) throws IOException {
    return find(peer, BoxType.INBOX);
  }

  /** The peer-owned inbox as of the last discovery, without triggering one. */
  Optional<Entry> peerOwnedInboxIfKnown(String peer) {
    if (discovered == null) {
      return Optional.empty();
    }
    return discovered.stream().filter(d -> d.peer().equals(peer) && d.name().type() == BoxType.INBOX)
        .map(PeerFolder::folder).findFirst();
  }

  /** The peer-owned outbox {@code ...#<me>#outbox#<peer>}, as of the last discovery. */
  Optional<Entry> peerOwnedOutbox(String peer) throws IOException {
    return find(peer, BoxType.OUTBOX);
  }

  private Optional<Entry> find(String peer, BoxType type) throws IOException {
    if (discovered == null) {
      discover();
    }
    return discovered.stream().filter(d -> d.peer().equals(peer) && d.name().type() == type)
        .map(PeerFolder::folder).findFirst();
  }

  private static StorageException missing(String what) {
    return new StorageException(StorageException.Kind.NOT_FOUND, what);
  }
}
