package dev.syft.protocol.internal;

import dev.syft.protocol.MalformedMessageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strict JSON parsing for input from peers: UTF-8 only (no byte-order mark, which the reference's
 * pydantic reader refuses), one document, duplicate keys resolved last-wins like Python. Size is
 * bounded by the caller (the archive codec), so string-length limits are lifted here.
 */
public final class JsonIn {
  private static final JsonMapper MAPPER = JsonMapper.builder(factory())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  // For reading one value at a time from a parser: trailing-token checks would see the next element.
  private static final JsonMapper STREAM_MAPPER = JsonMapper.builder(factory())
      .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static JsonFactory factory() {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .maxDocumentLength(-1)
            .maxNestingDepth(200)
            .build())
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .build();
  }

  private JsonIn() {}

  /**
   * Parses a JSON document whose root must be an object.
   *
   * @param what names the document in error messages, e.g. {@code "events message"}
   * @throws MalformedMessageException if the bytes are not UTF-8 JSON with an object at the root
   */
  public static ObjectNode parseObject(byte[] json, String what) {
    JsonNode node = parse(json, what);
    if (!node.isObject()) {
      throw new MalformedMessageException(what + " is not a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Parses one JSON document (any root). */
  public static JsonNode parse(byte[] json, String what) {
    if (json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf) {
      throw new MalformedMessageException(what + " starts with a byte-order mark, which is not allowed");
    }
    requireUtf8(json, what);
    try {
      // A Reader pins the encoding: Jackson would otherwise auto-detect UTF-16/32 from NUL bytes.
      JsonNode node = MAPPER.readTree(new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8));
      if (node == null || node.isMissingNode()) {
        throw new MalformedMessageException(what + " is empty");
      }
      return node;
    } catch (JacksonException e) {
      throw new MalformedMessageException(what + " is not valid JSON: " + oneLine(e.getOriginalMessage()));
    }
  }

  /**
   * A token parser over a UTF-8 document with the same limits as {@link #parse}, for reading large
   * documents piece by piece. A byte-order mark is refused here; invalid UTF-8 surfaces while reading
   * as a {@link JacksonException} caused by a {@link java.nio.charset.CharacterCodingException}
   * (see {@link #failure}). The parser does not close {@code utf8}.
   *
   * @throws IOException if reading the first bytes of {@code utf8} fails
   */
  public static JsonParser streamingParser(InputStream utf8, String what) throws IOException {
    PushbackInputStream in = new PushbackInputStream(utf8, 3);
    byte[] head = in.readNBytes(3);
    if (head.length == 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
      throw new MalformedMessageException(what + " starts with a byte-order mark, which is not allowed");
    }
    in.unread(head);
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    // A Reader pins the encoding (no UTF-16/32 auto-detection), the strict decoder refuses bad bytes.
    return STREAM_MAPPER.createParser(new InputStreamReader(in, strict));
  }

  /** The value at the parser's current token as a tree; the parser is left on its last token. */
  public static JsonNode readValue(JsonParser parser) {
    return STREAM_MAPPER.readTree(parser);
  }

  /**
   * The error for a {@link JacksonException} from a {@link #streamingParser}: invalid UTF-8 or a
   * syntax error. Other I/O causes are not recognised here (callers check those first).
   */
  public static MalformedMessageException failure(String what, JacksonException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CharacterCodingException) {
        return new MalformedMessageException(what + " is not valid UTF-8");
      }
    }
    return new MalformedMessageException(what + " is not valid JSON: " + oneLine(e.getOriginalMessage()));
  }

  private static void requireUtf8(byte[] bytes, String what) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        throw new MalformedMessageException(what + " is not valid UTF-8 (at byte " + in.position() + ")");
      }
      out.clear();
      if (r.isUnderflow()) {
        break;
      }
    }
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    String line = message.replaceAll("\\s+", " ").trim();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
