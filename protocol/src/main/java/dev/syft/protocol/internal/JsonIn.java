package dev.syft.protocol.internal;

import dev.syft.protocol.MalformedMessageException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
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
  private static final JsonMapper MAPPER = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .maxNestingDepth(200)
                  .build())
              .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

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
