package dev.syft.protocol.archive;

import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.model.WirePayload;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes any payload whose file contents are on disk, with memory bounded independently of the
 * files' sizes: build the model as usual with {@link #placeholder} contents, then {@link #encode}.
 * The archive is byte-identical to {@code ArchiveCodec.encode} of the same payload with the real
 * contents (same JSON, tar header and gzip framing; gzip MTIME = the clock's epoch second).
 *
 * <p>How: the payload's JSON is rendered with a short marker in place of each content (text, or
 * base64 that decodes to bytes whose encoding is the marker), and the markers are replaced by the
 * files' escaped text or base64 while the member is streamed through gzip. The member size the tar
 * header needs comes from {@link Source}, measured in the pass that hashed the file. Not
 * thread-safe; one encoder per message or batch of messages.
 */
public final class StreamingEncoder {
  private static final int BUFFER = 64 * 1024;
  private static final HexFormat HEX = HexFormat.of();

  /**
   * A file's content on disk, measured in one pass: its type ({@code text} when the bytes are valid
   * UTF-8, as {@link FileContent#of} decides), size, SHA-256 and the length of its JSON string body.
   * The file must not change until the archives that use it are written (callers use copies they
   * own, or spool files).
   */
  public record Source(Path file, FileContent.Type type, long size, String sha256, long jsonLength) {
    public Source {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(type, "type");
    }

    /** Measures a file. */
    public static Source of(Path file) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return measure(in, null, file);
      }
    }

    /** Copies {@code in} to {@code dest} (created, must not exist), measuring on the way: a stable snapshot. */
    public static Source copy(InputStream in, Path dest) throws IOException {
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(dest, java.nio.file.StandardOpenOption.CREATE_NEW), BUFFER)) {
        return measure(in, out, dest);
      }
    }

    private static Source measure(InputStream in, OutputStream copy, Path file) throws IOException {
      MessageDigest md = SpooledContent.newDigest();
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteBuffer pending = ByteBuffer.allocate(BUFFER + 8);
      CharBuffer chars = CharBuffer.allocate(BUFFER + 8);
      boolean text = true;
      long size = 0;
      long escaped = 0;
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (n == 0) {
          continue;
        }
        md.update(buf, 0, n);
        if (copy != null) {
          copy.write(buf, 0, n);
        }
        size += n;
        for (int i = 0; i < n; i++) {
          escaped += escapedLength(buf[i]);
        }
        if (text) {
          pending.put(buf, 0, n).flip();
          chars.clear();
          CoderResult r = utf8.decode(pending, chars, false);
          text = !r.isError();
          pending.compact();
        }
      }
      if (text) {
        pending.flip();
        chars.clear();
        text = !utf8.decode(pending, chars, true).isError() && !pending.hasRemaining()
            && !utf8.flush(chars).isError();
      }
      FileContent.Type type = text ? FileContent.Type.TEXT : FileContent.Type.BINARY;
      long json = text ? escaped : 4 * ((size + 2) / 3);
      return new Source(file, type, size, HEX.formatHex(md.digest()), json);
    }
  }

  private final String nonce;
  private final List<Source> sources = new ArrayList<>();
  private final Map<FileContent, Source> byContent = new IdentityHashMap<>();

  public StreamingEncoder() {
    byte[] r = new byte[8];
    new java.security.SecureRandom().nextBytes(r);
    this.nonce = HEX.formatHex(r);
  }

  /**
   * A content standing for {@code source} in a model built for this encoder. Its bytes are a marker:
   * only {@link #encode} of this encoder gives the real archive.
   */
  public FileContent placeholder(Source source) {
    Objects.requireNonNull(source, "source");
    if (sources.size() >= 1_000_000) {
      throw new IllegalStateException("too many streamed contents in one encoder");
    }
    String marker = marker(sources.size());
    sources.add(source);
    FileContent c = source.type() == FileContent.Type.TEXT ? FileContent.text(marker)
        : FileContent.binary(Base64.getDecoder().decode(marker));
    byContent.put(c, source);
    return c;
  }

  /** The source behind a placeholder of this encoder, or null for an ordinary content. */
  public Source source(FileContent content) {
    return content == null ? null : byContent.get(content);
  }

  /** A base64-alphabet marker of 24 characters (so it round-trips through base64 exactly). */
  private String marker(int index) {
    return "Sy" + nonce + String.format("%06d", index);
  }

  /**
   * Writes the archive of {@code payload} to {@code out} (flushed, not closed).
   *
   * @return the number of archive bytes written
   * @throws IOException if a source changed size since it was measured, or on an I/O failure
   */
  public long encode(WirePayload payload, Clock clock, OutputStream out) throws IOException {
    byte[] json = WireJson.write(payload);
    long size = memberLength(json);
    Counting counted = new Counting(out);
    try (GzipWriter gz = new GzipWriter(counted, clock.instant().getEpochSecond())) {
      OutputStream buffered = new BufferedOutputStream(gz, BUFFER);
      buffered.write(Ustar.header(ArchiveCodec.MEMBER_NAME, size));
      writeMember(json, buffered);
      buffered.write(new byte[(int) Ustar.paddingAfter(size)]);
      buffered.flush();
      gz.finish();
    }
    out.flush();
    return counted.count;
  }

  /** The length of {@code json} once its markers are replaced. */
  long memberLength(byte[] json) {
    long len = json.length;
    for (int[] m : markers(json)) {
      len += sources.get(m[1]).jsonLength() - 24;
    }
    return len;
  }

  /** Writes {@code json} with each marker replaced by its source's JSON string body. */
  void writeMember(byte[] json, OutputStream out) throws IOException {
    int from = 0;
    for (int[] m : markers(json)) {
      out.write(json, from, m[0] - from);
      Source s = sources.get(m[1]);
      long written = s.type() == FileContent.Type.TEXT ? writeEscaped(s, out) : writeBase64(s, out);
      if (written != s.jsonLength()) {
        throw new IOException("the file " + s.file() + " changed while it was being sent");
      }
      from = m[0] + 24;
    }
    out.write(json, from, json.length - from);
  }

  /** Positions and indexes of this encoder's markers in {@code json} (each inside quotes). */
  private List<int[]> markers(byte[] json) {
    byte[] prefix = ("\"Sy" + nonce).getBytes(StandardCharsets.US_ASCII);
    List<int[]> out = new ArrayList<>();
    outer:
    for (int i = 0; i + prefix.length + 7 <= json.length; i++) {
      for (int k = 0; k < prefix.length; k++) {
        if (json[i + k] != prefix[k]) {
          continue outer;
        }
      }
      int idx = Integer.parseInt(new String(json, i + prefix.length, 6, StandardCharsets.US_ASCII));
      if (json[i + prefix.length + 6] == '"' && idx < sources.size()) {
        out.add(new int[] {i + 1, idx});
        i += prefix.length + 6;
      }
    }
    return out;
  }

  private static long writeEscaped(Source s, OutputStream out) throws IOException {
    long n = 0;
    byte[] buf = new byte[BUFFER];
    byte[] esc = new byte[BUFFER * 6];
    try (InputStream in = Files.newInputStream(s.file())) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        int e = 0;
        for (int i = 0; i < r; i++) {
          e = escape(buf[i], esc, e);
        }
        out.write(esc, 0, e);
        n += e;
      }
    }
    return n;
  }

  private static long writeBase64(Source s, OutputStream out) throws IOException {
    Counting counted = new Counting(out);
    try (InputStream in = Files.newInputStream(s.file());
        OutputStream b64 = Base64.getEncoder().wrap(new java.io.FilterOutputStream(counted) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the caller's stream stays open
          }
        })) {
      in.transferTo(b64);
    }
    return counted.count;
  }

  /** JSON string escaping of one byte of valid UTF-8, as {@code JsonOut} writes it. */
  private static int escape(byte b, byte[] out, int at) {
    int c = b & 0xff;
    switch (c) {
      case '"', '\\' -> {
        out[at++] = '\\';
        out[at++] = (byte) c;
      }
      case '\n' -> at = two(out, at, 'n');
      case '\r' -> at = two(out, at, 'r');
      case '\t' -> at = two(out, at, 't');
      case '\b' -> at = two(out, at, 'b');
      case '\f' -> at = two(out, at, 'f');
      default -> {
        if (c < 0x20) {
          byte[] u = String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII);
          System.arraycopy(u, 0, out, at, 6);
          at += 6;
        } else {
          out[at++] = b;
        }
      }
    }
    return at;
  }

  private static int two(byte[] out, int at, char c) {
    out[at] = '\\';
    out[at + 1] = (byte) c;
    return at + 2;
  }

  private static int escapedLength(byte b) {
    int c = b & 0xff;
    return switch (c) {
      case '"', '\\', '\n', '\r', '\t', '\b', '\f' -> 2;
      default -> c < 0x20 ? 6 : 1;
    };
  }

  /** Counts bytes passed through to a stream it does not own. */
  private static final class Counting extends OutputStream {
    private final OutputStream out;
    long count;

    Counting(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
