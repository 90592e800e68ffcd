package dev.syft.jobs.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Lenient UTF-8 decoding for review: nothing is dropped, every invalid sequence is replaced and counted. */
public final class Texts {
  private Texts() {}

  /** Decoded text and how many invalid sequences became U+FFFD. */
  public record Decoded(String text, int invalid) {}

  public static Decoded decode(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    int invalid = 0;
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isError()) {
        invalid++;
        out.put('\uFFFD');
        in.position(in.position() + r.length());
        continue;
      }
      if (r.isUnderflow()) {
        d.flush(out);
        break;
      }
      // overflow cannot happen: one char per byte at most plus one spare
      throw new IllegalStateException("decoder overflow");
    }
    out.flip();
    return new Decoded(out.toString(), invalid);
  }

  /** True when the bytes hold a NUL: no source file or text output contains one. */
  public static boolean binary(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }
}
