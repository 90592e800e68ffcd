package dev.syft.jobs;

import dev.syft.core.Cluster;
import dev.syft.jobs.internal.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A data owner and one or two data scientists in one JVM, connected, with job facades. */
final class JobsFixture implements AutoCloseable {
  static final String DO = "do@hospital.example";
  static final String DO2 = "do2@clinic.example";
  static final String DS = "ds@university.example";
  static final String DS2 = "second@lab.example";

  final Cluster c;
  final Path tmp;
  /** Short limits so a misbehaving test job cannot slow the suite. */
  final RunOptions options = RunOptions.defaults(false)
      .withLimits(RunLimits.defaults().withTimeout(Duration.ofSeconds(30)).withMemoryBytes(1024L * 1024 * 1024));

  JobsFixture(Path tmp) {
    this.tmp = tmp;
    this.c = Cluster.memory(tmp);
  }

  JobsFixture connect(String ds, String owner) {
    c.connect(ds, owner);
    return this;
  }

  Jobs jobs(String who) {
    return Jobs.of(c.client(who), options, c.clock);
  }

  Jobs jobs(String who, RunOptions o) {
    return Jobs.of(c.client(who), o, c.clock);
  }

  void sync(String... who) {
    for (String w : who) {
      c.client(w).sync();
    }
  }

  Path file(String rel, String text) {
    try {
      Path p = tmp.resolve("src").resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a dataset in the owner's datasite the way the datasets module lays it out. */
  void dataset(String owner, String name, String privateText, String mockText) {
    Path ds = c.datasite(owner);
    Cluster.write(ds, "private/syft_datasets/" + name + "/data.csv", privateText);
    Cluster.write(ds, "public/syft_datasets/" + name + "/data.csv", mockText);
    Cluster.write(ds, "public/syft_datasets/" + name + "/dataset.yaml", "name: " + name + "\nmock_files_urls:\n- syft://"
        + owner + "/public/syft_datasets/" + name + "/data.csv\n");
  }

  /** The isolation a default run gets here: the strongest that works. */
  static Isolation strongest() {
    for (Isolation m : List.of(Isolation.BUBBLEWRAP, Isolation.NAMESPACES)) {
      if (Sandbox.probe(m, RunOptions.DEFAULT_SANDBOX_UID).available()) {
        return m;
      }
    }
    return Isolation.NONE;
  }

  @Override
  public void close() {
    c.close();
  }
}
