package dev.syft.protocol.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the one-member tar the reference's {@code tarfile} produces: a POSIX ustar header (mode
 * {@code 0000644\0}, uid/gid {@code 0000000\0}, size 11 octal digits + NUL, mtime 0, checksum 6
 * octal digits + NUL + space, type {@code 0}, magic {@code ustar\0} version {@code 00}, empty owner
 * names, NUL device numbers and prefix), data padded to 512 bytes, two zero blocks, and the whole
 * padded to the 10240-byte record size.
 *
 * <p>commons-compress terminates numeric fields with a space instead of NUL, so its output is
 * readable by Python but not byte-identical; the header is therefore written here.
 */
final class Ustar {
  static final int BLOCK = 512;
  static final int RECORD = 20 * BLOCK;

  private Ustar() {}

  static byte[] singleMember(String name, byte[] data) {
    int total = (int) (BLOCK + data.length + paddingAfter(data.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream(total);
    out.writeBytes(header(name, data.length));
    out.writeBytes(data);
    out.writeBytes(new byte[total - BLOCK - data.length]);
    return out.toByteArray();
  }

  /** The 512-byte header block of a regular-file member of {@code size} bytes. */
  static byte[] header(String name, long size) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      throw new IllegalArgumentException("tar member name longer than 100 bytes");
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
    octal(header, 100, 8, 0644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, size);
    octal(header, 136, 12, 0);
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    header[156] = '0';
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, header, 257, magic.length);
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    String checksum = String.format("%06o", sum);
    for (int i = 0; i < 6; i++) {
      header[148 + i] = (byte) checksum.charAt(i);
    }
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  /**
   * Zero bytes that follow {@code size} bytes of member data: block padding, the two end blocks and
   * the padding to a whole record.
   */
  static long paddingAfter(long size) {
    long dataBlocks = (size + BLOCK - 1) / BLOCK;
    long used = BLOCK + dataBlocks * BLOCK + 2L * BLOCK;
    long total = ((used + RECORD - 1) / RECORD) * RECORD;
    return total - BLOCK - size;
  }

  /** {@code width - 1} zero-padded octal digits followed by NUL, as Python's {@code itn()} writes. */
  private static void octal(byte[] header, int offset, int width, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > width - 1) {
      throw new IllegalArgumentException("value too large for a tar header field: " + value);
    }
    String padded = "0".repeat(width - 1 - digits.length()) + digits;
    for (int i = 0; i < padded.length(); i++) {
      header[offset + i] = (byte) padded.charAt(i);
    }
    header[offset + width - 1] = 0;
  }
}
