package dev.syft.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File-tree snapshots (relative path to SHA-256) for comparing homes across runs and transports. */
final class Trees {
  private Trees() {}

  /** Every regular file below {@code dir} (relative, '/'-separated) with its SHA-256; empty if absent. */
  static SortedMap<String, String> snapshot(Path dir) {
    SortedMap<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          out.put(dir.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A client home without its private state folder {@code .syft/}: the datasite and every replica. */
  static SortedMap<String, String> home(Path home) {
    SortedMap<String, String> all = snapshot(home);
    all.keySet().removeIf(k -> k.startsWith(".syft/"));
    return all;
  }

  /** Files below {@code dir} whose name marks an interrupted write ({@code .syft-tmp-*}). */
  static List<Path> tempFiles(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith(".syft-tmp-")).forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Every regular file below {@code dir}, absolute. */
  static List<Path> allFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
