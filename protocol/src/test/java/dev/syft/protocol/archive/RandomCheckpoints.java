package dev.syft.protocol.archive;

import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random checkpoints with the awkward cases: binary, unicode paths, control characters, empties. */
final class RandomCheckpoints {
  // Characters that need escaping or are multi-byte in UTF-8, plus plain ones.
  private static final String[] TEXT_PIECES = {
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r\n", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f",
    "\u0080", "\u00e9", "\u00fc", "\u2028", "\u2029", "\u20ac", "\u65e5\u672c", "\ud83d\ude00", "\ud800\udc00",
    "\uffff", "\ufeff", "<>&'", "plain text ", "{\"json\":[1,2]}", "\\u0041"
  };
  private static final String[] PATH_PIECES = {
    "a", "b", "data", "Gr\u00fc\u00dfe", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "caf\u00e9", "x y", "-", "_", "~", "#",
    "%20", "'q'", "\"dq\"", "\u2028", "\u00a0", "a.b", ".hidden", "..x", "x..", "\u0130"
  };

  private RandomCheckpoints() {}

  static CheckpointHeader header(SplittableRandom r) {
    double ts = switch (r.nextInt(3)) {
      case 0 -> 1_700_000_000.0 + r.nextInt(100_000_000);
      case 1 -> 1_712_345_678.1234567 + r.nextDouble() * 1e6;
      default -> r.nextDouble() * 2e9;
    };
    Double last = r.nextInt(3) == 0 ? null : ts - r.nextDouble() * 1000;
    String email = r.nextBoolean() ? "do" + r.nextInt(1000) + "@openmined.org" : "d\u00f6." + text(r, 6) + "@x.org";
    return CheckpointHeader.of(email, ts, last);
  }

  static List<CheckpointFile> files(SplittableRandom r, int count) {
    List<CheckpointFile> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      files.add(file(r, i));
    }
    return files;
  }

  static CheckpointFile file(SplittableRandom r, int index) {
    String path = path(r, index);
    FileContent content = content(r);
    String hash = switch (r.nextInt(4)) {
      case 0 -> "h\u00e9\"sh\\" + r.nextInt(); // hashes are kept as recorded
      default -> content.sha256();
    };
    return new CheckpointFile(path, hash, content);
  }

  static String path(SplittableRandom r, int index) {
    StringBuilder p = new StringBuilder();
    int segments = 1 + r.nextInt(4);
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        p.append(r.nextInt(8) == 0 ? "//" : r.nextInt(8) == 0 ? "/./" : "/");
      }
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        p.append(PATH_PIECES[r.nextInt(PATH_PIECES.length)]);
      }
    }
    return p.append('-').append(index).toString();
  }

  static FileContent content(SplittableRandom r) {
    int size = switch (r.nextInt(25)) {
      case 0, 1 -> 0;
      case 2 -> 70_000 + r.nextInt(70_000); // crosses copy and deflate buffers
      default -> r.nextInt(3000);
    };
    return switch (r.nextInt(4)) {
      case 0 -> {
        byte[] bytes = new byte[size];
        r.nextBytes(bytes);
        yield FileContent.binary(bytes);
      }
      case 1 -> {
        byte[] bytes = new byte[size];
        r.nextBytes(bytes);
        yield FileContent.of(bytes); // text only if the random bytes happen to be UTF-8
      }
      default -> FileContent.text(text(r, size / 4));
    };
  }

  static String text(SplittableRandom r, int pieces) {
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      t.append(TEXT_PIECES[r.nextInt(TEXT_PIECES.length)]);
    }
    return t.toString();
  }

  static Clock clock(SplittableRandom r) {
    return Clock.fixed(Instant.ofEpochSecond(1_600_000_000L + r.nextInt(400_000_000), r.nextInt(1_000_000_000)),
        ZoneOffset.UTC);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
