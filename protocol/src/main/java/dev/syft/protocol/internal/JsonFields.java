package dev.syft.protocol.internal;

import dev.syft.protocol.MalformedMessageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed access to the fields of one JSON object from a peer, with the reference's (pydantic "lax"
 * mode) coercions and one-line errors that name the field path.
 *
 * <p>Rules: a missing field takes its default; an explicit {@code null} is only accepted where the
 * field is nullable; floats accept JSON numbers and numeric strings; integers accept integral
 * floats ({@code 2.0}); booleans accept {@code true/false}, 0/1 and the usual words; UUIDs accept
 * any case. Unknown fields are ignored. Strings holding unpaired surrogates are refused.
 */
public final class JsonFields {
  private static final Set<String> TRUE_WORDS = Set.of("1", "on", "t", "true", "y", "yes");
  private static final Set<String> FALSE_WORDS = Set.of("0", "off", "f", "false", "n", "no");

  private final ObjectNode node;
  private final String what;
  private final String prefix;

  private JsonFields(ObjectNode node, String what, String prefix) {
    this.node = node;
    this.what = what;
    this.prefix = prefix;
  }

  /** The fields of a document's root object; {@code what} names the document in errors. */
  public static JsonFields root(ObjectNode node, String what) {
    return new JsonFields(node, what, "");
  }

  /**
   * The fields of element {@code index} of the list {@code listField} of a document's root, named
   * {@code listField[index].x} in errors (for readers that stream a list instead of holding the tree).
   */
  public static JsonFields element(ObjectNode node, String what, String listField, int index) {
    return new JsonFields(node, what, listField + "[" + index + "].");
  }

  public ObjectNode node() {
    return node;
  }

  /** True when the key is present (even with a {@code null} value). */
  public boolean has(String name) {
    return node.has(name);
  }

  /** The raw value, or {@code null} when absent. */
  public JsonNode raw(String name) {
    return node.get(name);
  }

  /** Python truthiness of the raw value ({@code data.get(name, False)} in a validator). */
  public boolean truthy(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isString()) {
      return !v.stringValue().isEmpty();
    }
    return !v.isEmpty();
  }

  /** A required, non-null string. */
  public String string(String name) {
    return stringValue(name, require(name));
  }

  /** A string that may be missing or {@code null} (both read as {@code null}). */
  public String nullableString(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : stringValue(name, v);
  }

  /** A string with a default for a missing field; {@code null} is refused. */
  public String stringOr(String name, String dflt) {
    JsonNode v = node.get(name);
    return v == null ? dflt : stringValue(name, v);
  }

  /** A required finite float. */
  public double number(String name) {
    return numberValue(name, require(name));
  }

  /** A finite float with a default for a missing field; {@code null} is refused. */
  public double numberOr(String name, DoubleSupplier dflt) {
    JsonNode v = node.get(name);
    return v == null ? dflt.getAsDouble() : numberValue(name, v);
  }

  /** A finite float that may be missing or {@code null}. */
  public Double nullableNumber(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : numberValue(name, v);
  }

  /** A required integer. */
  public int integer(String name) {
    return integerValue(name, require(name));
  }

  /** An integer with a default for a missing field. */
  public int integerOr(String name, int dflt) {
    JsonNode v = node.get(name);
    return v == null ? dflt : integerValue(name, v);
  }

  /** A boolean with a default for a missing field. */
  public boolean boolOr(String name, boolean dflt) {
    JsonNode v = node.get(name);
    if (v == null) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber() && (v.doubleValue() == 0 || v.doubleValue() == 1)) {
      return v.doubleValue() == 1;
    }
    if (v.isString()) {
      String word = v.stringValue().trim().toLowerCase(Locale.ROOT);
      if (TRUE_WORDS.contains(word)) {
        return true;
      }
      if (FALSE_WORDS.contains(word)) {
        return false;
      }
    }
    throw error(name, "must be a boolean, not " + describe(v));
  }

  /** A required UUID. */
  public UUID uuid(String name) {
    return uuidValue(name, require(name));
  }

  /** A UUID with a default for a missing field. */
  public UUID uuidOr(String name, Supplier<UUID> dflt) {
    JsonNode v = node.get(name);
    return v == null ? dflt.get() : uuidValue(name, v);
  }

  /** A nested object that may be missing (then {@code null}); {@code null} is refused. */
  public JsonFields objectOrNull(String name) {
    JsonNode v = node.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(name, "must be an object, not " + describe(v));
    }
    return new JsonFields((ObjectNode) v, what, prefix + name + ".");
  }

  /** A required list of objects. */
  public List<JsonFields> objects(String name) {
    return objectList(name, require(name));
  }

  /** A list of objects that defaults to empty when missing. */
  public List<JsonFields> objectsOrEmpty(String name) {
    JsonNode v = node.get(name);
    return v == null ? List.of() : objectList(name, v);
  }

  /** An error about one field of this object. */
  public MalformedMessageException error(String name, String problem) {
    return new MalformedMessageException(what + ": field '" + prefix + name + "' " + problem);
  }

  /** An error about this object as a whole. */
  public MalformedMessageException error(String problem) {
    String where = prefix.isEmpty() ? "" : " at '" + prefix.substring(0, prefix.length() - 1) + "'";
    return new MalformedMessageException(what + where + ": " + problem);
  }

  private JsonNode require(String name) {
    JsonNode v = node.get(name);
    if (v == null) {
      throw error(name, "is missing");
    }
    return v;
  }

  private String stringValue(String name, JsonNode v) {
    if (!v.isString()) {
      throw error(name, "must be a string, not " + describe(v));
    }
    String s = v.stringValue();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error(name, "contains an unpaired surrogate escape");
      }
    }
    return s;
  }

  private double numberValue(String name, JsonNode v) {
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (v.isString()) {
      OptionalDouble parsed = PyText.parseFloat(v.stringValue());
      if (parsed.isEmpty()) {
        throw error(name, "must be a number, not the string '" + shorten(v.stringValue()) + "'");
      }
      d = parsed.getAsDouble();
    } else {
      throw error(name, "must be a number, not " + describe(v));
    }
    if (!Double.isFinite(d)) {
      throw error(name, "must be a finite number");
    }
    return d;
  }

  private int integerValue(String name, JsonNode v) {
    BigInteger value;
    if (v.isIntegralNumber()) {
      value = v.bigIntegerValue();
    } else if (v.isNumber()) {
      double d = v.doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        throw error(name, "must be an integer, not " + v.numberValue());
      }
      value = new java.math.BigDecimal(d).toBigInteger();
    } else if (v.isString()) {
      Optional<BigInteger> parsed = PyText.parseInt(v.stringValue());
      if (parsed.isEmpty()) {
        throw error(name, "must be an integer, not the string '" + shorten(v.stringValue()) + "'");
      }
      value = parsed.get();
    } else {
      throw error(name, "must be an integer, not " + describe(v));
    }
    if (value.bitLength() > 31) {
      throw error(name, "is out of range: " + value);
    }
    return value.intValue();
  }

  private UUID uuidValue(String name, JsonNode v) {
    if (!v.isString()) {
      throw error(name, "must be a UUID string, not " + describe(v));
    }
    return PyText.parseUuid(v.stringValue())
        .orElseThrow(() -> error(name, "is not a valid UUID: '" + shorten(v.stringValue()) + "'"));
  }

  private List<JsonFields> objectList(String name, JsonNode v) {
    if (!v.isArray()) {
      throw error(name, "must be a list, not " + describe(v));
    }
    List<JsonFields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isObject()) {
        throw error(name + "[" + i + "]", "must be an object, not " + describe(item));
      }
      out.add(new JsonFields((ObjectNode) item, what, prefix + name + "[" + i + "]."));
    }
    return out;
  }

  /** A short human description of a JSON value's type. */
  public static String describe(JsonNode v) {
    if (v.isNull()) {
      return "null";
    }
    if (v.isString()) {
      return "a string";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isObject()) {
      return "an object";
    }
    return v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String shorten(String s) {
    String p = dev.syft.protocol.DatasitePaths.printable(s);
    return p.substring(1, p.length() - 1);
  }
}
