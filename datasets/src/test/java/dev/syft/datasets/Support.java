package dev.syft.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.SyftClient;
import dev.syft.core.SyncReport;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Helpers shared by the scenario tests. */
final class Support {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final String DS2 = "second@lab.example";
  static final String SECRET = "PRIVATE-7f3a9c-never-leaves-the-owner";

  private Support() {}

  static Path write(Path root, String rel, String text) {
    return write(root, rel, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path root, String rel, byte[] bytes) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One sync round that must not report a datasets problem. */
  static SyncReport sync(SyftClient c) {
    SyncReport r = c.sync();
    assertThat(r.extensionError("datasets")).as("sync problems of " + c.email()).isEmpty();
    return r;
  }

  /** Every file below {@code root}, recursively. */
  static List<Path> filesUnder(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file the user of {@code storage} can read on the transport: its own tree and everything shared. */
  static List<byte[]> readableTransportFiles(Storage storage, List<String> names) throws IOException {
    List<byte[]> out = new ArrayList<>();
    Deque<Entry> todo = new ArrayDeque<>();
    todo.add(storage.root());
    todo.addAll(storage.findSharedWithMe(""));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Entry f = todo.poll();
      if (!seen.add(f.id())) {
        continue;
      }
      for (Entry e : storage.listAll(f)) {
        if (e.folder()) {
          todo.add(e);
        } else {
          names.add(e.name());
          out.add(storage.readAll(e, 64L << 20));
        }
      }
    }
    return out;
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Asserts that {@code secret} is in no file of the DS's home and no transport file the DS can read. */
  static void assertNeverOnDs(SyftClient ds, byte[] secret) throws IOException {
    for (Path p : filesUnder(ds.home().dir())) {
      assertThat(contains(Files.readAllBytes(p), secret)).as("private bytes in " + p).isFalse();
    }
    Storage storage = ds.withContext(ctx -> ctx.storage());
    List<String> names = new ArrayList<>();
    List<byte[]> files = readableTransportFiles(storage, names);
    assertThat(files).as("the DS can read some transport files").isNotEmpty();
    for (int i = 0; i < files.size(); i++) {
      assertThat(contains(files.get(i), secret)).as("private bytes in transport file " + names.get(i)).isFalse();
    }
  }
}
