package dev.syft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Extracts sqlite-jdbc's native library once into a per-user cache
 * ({@code $XDG_CACHE_HOME/syft/sqlite-jdbc-<version>/<os>/<arch>}, default {@code ~/.cache}) and points
 * the driver at it. Without this the driver unpacks a fresh copy into the system temp folder on every
 * start and cleans up other processes' copies, which races when two JVMs start together.
 * Best effort: on any failure the driver's own extraction is left in place.
 */
final class NativeLibs {
  private NativeLibs() {}

  static void prepareSqlite() {
    if (System.getProperty("org.sqlite.lib.path") != null) {
      return; // the user chose
    }
    try {
      String version = sqliteVersion();
      String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
      String name = System.mapLibraryName("sqlitejdbc");
      if (name.endsWith(".dylib")) {
        name = "libsqlitejdbc.dylib";
      }
      String resource = "/org/sqlite/native/" + folder + "/" + name;
      Path dir = cacheDir().resolve("sqlite-jdbc-" + version).resolve(folder);
      Path lib = dir.resolve(name);
      if (!Files.isRegularFile(lib)) {
        try (InputStream in = NativeLibs.class.getResourceAsStream(resource)) {
          if (in == null) {
            return; // no bundled library for this platform: let the driver decide
          }
          Files.createDirectories(dir);
          // write aside and rename, so a concurrent start sees either nothing or the whole library
          Path tmp = Files.createTempFile(dir, name, ".part");
          try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }
      }
      System.setProperty("org.sqlite.lib.path", dir.toString());
      System.setProperty("org.sqlite.lib.name", name);
      System.setProperty("org.sqlite.tmpdir", dir.toString());
    } catch (IOException | RuntimeException | LinkageError e) {
      // the driver's default extraction still works
    }
  }

  /** The per-user cache: {@code -Dsyft.cache=DIR}, else {@code $XDG_CACHE_HOME/syft}, else {@code ~/.cache/syft}. */
  static Path cacheDir() {
    String own = System.getProperty("syft.cache");
    if (own != null && !own.isBlank()) {
      return Path.of(own);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("syft");
  }

  private static String sqliteVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = NativeLibs.class.getResourceAsStream("/sqlite-jdbc.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return p.getProperty("version", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
