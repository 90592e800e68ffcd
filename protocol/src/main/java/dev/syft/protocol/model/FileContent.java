package dev.syft.protocol.model;

import dev.syft.protocol.hash.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The full content of one file inside a message: text (written as a JSON string) or binary (written
 * as standard padded base64 with {@code content_type: "binary"}). A deletion has no content: model
 * fields of this type are {@code null} then.
 *
 * <p>The bytes are kept exactly; nothing here translates newlines or normalises Unicode, so
 * {@link #sha256()} is the hash of the file as it is on disk. Immutable.
 */
public final class FileContent {
  /** How the content travels in JSON. */
  public enum Type {
    TEXT("text"),
    BINARY("binary");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The {@code content_type} value: {@code text} or {@code binary}. */
    public String wireName() {
      return wireName;
    }
  }

  private final Type type;
  private final byte[] bytes;
  private final String text;

  private FileContent(Type type, byte[] bytes, String text) {
    this.type = type;
    this.bytes = bytes;
    this.text = text;
  }

  /**
   * Text content; its bytes are the UTF-8 encoding of {@code text}.
   *
   * @throws IllegalArgumentException if the text holds an unpaired surrogate (not encodable as UTF-8)
   */
  public static FileContent text(String text) {
    Objects.requireNonNull(text, "text");
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(java.nio.CharBuffer.wrap(text));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return new FileContent(Type.TEXT, bytes, text);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text content is not valid Unicode (unpaired surrogate)");
    }
  }

  /** Binary content (copied). */
  public static FileContent binary(byte[] bytes) {
    return new FileContent(Type.BINARY, bytes.clone(), null);
  }

  /**
   * Content for bytes read from a file: text when the bytes are valid UTF-8, binary otherwise. The
   * bytes are never altered, so both forms hash the same.
   */
  public static FileContent of(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return new FileContent(Type.TEXT, bytes.clone(), text);
    } catch (CharacterCodingException e) {
      return binary(bytes);
    }
  }

  /**
   * Binary content from base64 as the reference decodes it ({@code base64.b64decode}): characters
   * outside the base64 alphabet are discarded, then the rest must be correctly padded.
   *
   * @throws IllegalArgumentException if the text is not valid base64
   */
  public static FileContent fromBase64(String base64) {
    StringBuilder kept = new StringBuilder(base64.length());
    for (int i = 0; i < base64.length(); i++) {
      char c = base64.charAt(i);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
          || c == '/' || c == '=') {
        kept.append(c);
      }
    }
    if (kept.length() % 4 != 0) {
      throw new IllegalArgumentException("binary content is not valid base64 (incorrect padding)");
    }
    try {
      return new FileContent(Type.BINARY, Base64.getDecoder().decode(kept.toString()), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("binary content is not valid base64");
    }
  }

  public Type type() {
    return type;
  }

  public boolean isText() {
    return type == Type.TEXT;
  }

  /** A copy of the exact bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes. */
  public int size() {
    return bytes.length;
  }

  /**
   * The text of text content.
   *
   * @throws IllegalStateException for binary content
   */
  public String text() {
    if (text == null) {
      throw new IllegalStateException("binary content has no text form");
    }
    return text;
  }

  /** The JSON string form: the text itself, or standard padded base64 of binary bytes. */
  public String wireString() {
    return text != null ? text : Base64.getEncoder().encodeToString(bytes);
  }

  /** Lowercase hex SHA-256 of the bytes: the {@code new_hash} of this content. */
  public String sha256() {
    return Hashes.sha256Hex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileContent other && type == other.type && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "FileContent[" + type.wireName + ", " + bytes.length + " bytes]";
  }
}
