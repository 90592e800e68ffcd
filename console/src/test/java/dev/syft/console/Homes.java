package dev.syft.console;

import dev.syft.core.SyftClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A data owner's and a data scientist's homes sharing one local: folder, as 'syft init' makes them. */
final class Homes {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  final Path doHome;
  final Path dsHome;

  Homes(Path tmp) throws IOException {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    doHome = tmp.resolve("do");
    dsHome = tmp.resolve("ds");
    SyftClient.init(DO, "local:" + shared, doHome).close();
    SyftClient.init(DS, "local:" + shared, dsHome).close();
  }

  static void sync(Path home) {
    try (SyftClient c = SyftClient.open(home)) {
      c.sync();
    }
  }
}
