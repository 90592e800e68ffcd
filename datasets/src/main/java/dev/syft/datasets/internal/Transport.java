package dev.syft.datasets.internal;

import dev.syft.core.ClientContext;
import dev.syft.core.ProgressListener;
import dev.syft.transport.Entry;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.SharedCollection;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Collection folders on the transport, owner side. */
final class Transport {
  private Transport() {}

  /** Uploads ({@code what} names it in progress reports) (replacing same-named files) in parallel, then removes files the folder should not hold. */
  static void upload(ClientContext ctx, String what, Entry folder, List<Blob> files, boolean pruneExtra) throws IOException {
    List<Parallel.IoTask> tasks = new ArrayList<>();
    ProgressListener progress = ctx.progress();
    long bytes = 0;
    for (Blob b : files) {
      bytes += b.size();
      tasks.add(() -> {
        try (InputStream in = Transfers.counting(b.open(), progress)) {
          ctx.storage().write(folder, b.name(), in, WriteMode.REPLACE);
        }
      });
    }
    progress.begin(Transfers.label("uploading", files.size(), bytes, what), bytes);
    try {
      Parallel.runAll(ctx.io(), Parallel.LIMIT, tasks);
    } finally {
      progress.end();
    }
    if (pruneExtra) {
      Set<String> wanted = files.stream().map(Blob::name).collect(Collectors.toSet());
      for (Entry e : ctx.storage().listAll(folder)) {
        if (!e.folder() && !wanted.contains(e.name())) {
          ctx.storage().delete(e);
        }
      }
    }
  }

  /** My collections of {@code kind} whose tag is exactly {@code tag}. */
  static List<SharedCollection> mine(ClientContext ctx, CollectionKind kind, String tag) throws IOException {
    return ctx.layout().listMyCollections(kind).stream().filter(c -> c.name().tag().equals(tag)).toList();
  }

  /** Shares a mock collection with its audience: listed users, or "any" = flag + every approved peer. */
  static void applyAudience(ClientContext ctx, Entry folder, dev.syft.datasets.Audience audience) throws IOException {
    if (audience.any()) {
      ctx.layout().markSharedWithAny(folder);
      ctx.layout().shareCollection(folder, ctx.acceptedPeers());
    } else if (!audience.users().isEmpty()) {
      ctx.layout().shareCollection(folder, audience.users());
    }
  }
}
