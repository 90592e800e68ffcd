package dev.syft.permissions.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLReadFeature;

/**
 * A YAML document read through Jackson's streaming YAML parser into a small tree that keeps what
 * the reference's loader (PyYAML {@code safe_load}, YAML 1.1) would decide: each scalar's text,
 * whether it was plain or quoted, its explicit tag and its position. Types are resolved later with
 * the YAML 1.1 rules ({@link #resolve}), because Jackson's YAML 1.2 typing differs ({@code yes} is a
 * boolean in YAML 1.1).
 *
 * <p>Anchors, aliases and merge keys ({@code <<}) are resolved as PyYAML's composer and safe
 * constructor resolve them: an alias is the anchored node itself (shared, never copied, so a few bytes
 * cannot expand into a huge tree), an undefined alias or a second anchor of the same name is an error,
 * and a merge takes the keys of the merged mapping(s) that the mapping does not set itself (of a list
 * of mappings, the first that has the key wins).
 */
public final class YamlDoc {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().disable(YAMLReadFeature.EMPTY_STRING_AS_NULL).build();

  /** A node with a 1-based position. */
  public sealed interface Node permits MapNode, SeqNode, ScalarNode {
    int line();

    int column();
  }

  /**
   * A mapping; later duplicate keys replace earlier ones, as in PyYAML; merged keys are included. May
   * be shared by several parents (aliases) and, through an alias to itself, contain itself.
   */
  public record MapNode(Map<String, Entry> entries, int line, int column) implements Node {}

  /** A mapping entry with the key's position. */
  public record Entry(String key, int line, int column, Node value) {}

  public record SeqNode(List<Node> items, int line, int column) implements Node {}

  /**
   * A scalar. {@code plain} is false for quoted and block scalars; {@code tag} is the explicit tag
   * (e.g. {@code tag:yaml.org,2002:str}) or null; {@code text} is null only for an empty plain value.
   */
  public record ScalarNode(String text, boolean plain, String tag, int line, int column) implements Node {}

  /** YAML 1.1 types a scalar can resolve to. */
  public enum Type {
    STR,
    NULL,
    BOOL,
    INT,
    FLOAT,
    TIMESTAMP,
    OTHER
  }

  /** A syntax error, with its position (0 when unknown). */
  public static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    public final int line;
    public final int column;

    SyntaxError(String message, int line, int column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private final String text;
  private final int[] lineStarts;
  private final Map<String, Node> anchors = new HashMap<>();
  private boolean aliased;

  private YamlDoc(String text) {
    this.text = text;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A parsed document: its root (null when empty) and whether an alias was used. */
  public record Parsed(Node root, boolean aliased) {}

  /**
   * Parses one YAML document. Returns null for an empty document (blank, comments only). Several
   * documents are refused.
   */
  public static Node parse(String text) throws SyntaxError {
    return parseDocument(text).root();
  }

  /** {@link #parse}, telling also whether the document used aliases (shared nodes). */
  public static Parsed parseDocument(String text) throws SyntaxError {
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    YamlDoc doc = new YamlDoc(text);
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Parsed(null, false);
      }
      Node root = doc.value(p, t);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        TokenStreamLocation l = p.currentTokenLocation();
        throw new SyntaxError("expected a single YAML document, found another one", l.getLineNr(), l.getColumnNr());
      }
      return new Parsed(root, doc.aliased);
    } catch (JacksonException e) {
      throw translate(e);
    }
  }

  private Node value(JsonParser p, JsonToken t) throws SyntaxError {
    TokenStreamLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int col = loc.getColumnNr();
    YAMLParser yp = (YAMLParser) p;
    if (yp.isCurrentAlias()) {
      String name = p.getString();
      Node target = anchors.get(name);
      if (target == null) {
        throw new SyntaxError("found undefined alias '" + printable(name) + "'", line, col);
      }
      aliased = true;
      return target;
    }
    // the anchor is known before the node's children, so an alias inside may refer to it (as in PyYAML)
    Object id = yp.getObjectId();
    String anchor = id == null ? null : id.toString();
    if (anchor != null && anchors.containsKey(anchor)) {
      throw new SyntaxError("found duplicate anchor '" + printable(anchor) + "'", line, col);
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        MapNode node = new MapNode(entries, line, col);
        remember(anchor, node);
        List<Node> merges = new ArrayList<>();
        JsonToken k;
        while ((k = p.nextToken()) == JsonToken.PROPERTY_NAME) {
          TokenStreamLocation kl = p.currentTokenLocation();
          String key = p.currentName();
          boolean merge = "<<".equals(key) && styleIsPlain(kl.getLineNr(), kl.getColumnNr());
          JsonToken vt = p.nextToken();
          Node v = value(p, vt);
          if (merge) {
            merges.add(v);
          } else {
            entries.remove(key);
            entries.put(key, new Entry(key, kl.getLineNr(), kl.getColumnNr(), v));
          }
        }
        if (!merges.isEmpty()) {
          merge(entries, merges);
        }
        return node;
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        SeqNode node = new SeqNode(items, line, col);
        remember(anchor, node);
        JsonToken it;
        while ((it = p.nextToken()) != JsonToken.END_ARRAY) {
          if (it == null) {
            throw new SyntaxError("unexpected end of document", 0, 0);
          }
          items.add(value(p, it));
        }
        return node;
      }
      case VALUE_NULL -> {
        String tag = yp.getRawTag();
        return remember(scalarAnchor(anchor, line, col), new ScalarNode(null, styleIsPlain(line, col), tag, line, col));
      }
      default -> {
        String tag = yp.getRawTag();
        String s = p.getString();
        return remember(scalarAnchor(anchor, line, col), new ScalarNode(s, styleIsPlain(line, col), tag, line, col));
      }
    }
  }

  /** Jackson reports no anchor for scalar values: read it from the source ({@code &name} before the scalar). */
  private String scalarAnchor(String reported, int line, int col) throws SyntaxError {
    if (reported != null) {
      return reported;
    }
    int idx = offset(line, col);
    if (idx < 0) {
      return null;
    }
    String found = null;
    while (idx < text.length() && (text.charAt(idx) == '&' || text.charAt(idx) == '!')) {
      boolean isAnchor = text.charAt(idx) == '&';
      int start = ++idx;
      while (idx < text.length() && !Character.isWhitespace(text.charAt(idx)) && ",[]{}".indexOf(text.charAt(idx)) < 0) {
        idx++;
      }
      if (isAnchor) {
        found = text.substring(start, idx);
      }
      while (idx < text.length() && (text.charAt(idx) == ' ' || text.charAt(idx) == '\t')) {
        idx++;
      }
    }
    if (found != null && anchors.containsKey(found)) {
      throw new SyntaxError("found duplicate anchor '" + printable(found) + "'", line, col);
    }
    return found;
  }

  private Node remember(String anchor, Node node) {
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  /**
   * Applies merge keys the way PyYAML's safe constructor does: the merged keys come first and the
   * mapping's own keys override them; of a list of mappings the first one wins; anything but a
   * mapping or a list of mappings is an error. A mapping merged into itself adds nothing.
   */
  private void merge(Map<String, Entry> own, List<Node> merges) throws SyntaxError {
    Map<String, Entry> merged = new LinkedHashMap<>();
    for (Node m : merges) {
      if (m instanceof MapNode map) {
        putAll(merged, map);
      } else if (m instanceof SeqNode seq) {
        for (Node item : seq.items()) {
          if (!(item instanceof MapNode)) {
            throw new SyntaxError("expected a mapping for merging, but found " + kindOf(item), item.line(),
                item.column());
          }
        }
        for (int i = seq.items().size() - 1; i >= 0; i--) {
          putAll(merged, (MapNode) seq.items().get(i));
        }
      } else {
        throw new SyntaxError("expected a mapping or list of mappings for merging, but found " + kindOf(m),
            m.line(), m.column());
      }
    }
    for (Entry e : own.values()) {
      merged.remove(e.key());
      merged.put(e.key(), e);
    }
    own.clear();
    own.putAll(merged);
  }

  private void putAll(Map<String, Entry> into, MapNode from) {
    for (Entry e : List.copyOf(from.entries().values())) {
      into.remove(e.key());
      into.put(e.key(), e);
    }
  }

  private static String kindOf(Node n) {
    return n instanceof SeqNode ? "a list" : n instanceof MapNode ? "a mapping" : "a scalar";
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return sb.toString();
  }

  /** Looks at the source where the scalar starts: a quote or block indicator means not plain. */
  private boolean styleIsPlain(int line, int col) {
    int idx = offset(line, col);
    if (idx < 0) {
      return true;
    }
    // skip an anchor (&name) or a tag (!tag) before the scalar itself
    while (idx < text.length() && (text.charAt(idx) == '&' || text.charAt(idx) == '!')) {
      while (idx < text.length() && !Character.isWhitespace(text.charAt(idx))) {
        idx++;
      }
      while (idx < text.length() && (text.charAt(idx) == ' ' || text.charAt(idx) == '\t')) {
        idx++;
      }
    }
    if (idx >= text.length()) {
      return true;
    }
    char c = text.charAt(idx);
    return !(c == '\'' || c == '"' || c == '|' || c == '>');
  }

  private int offset(int line, int col) {
    if (line < 1 || line > lineStarts.length || col < 1) {
      return -1;
    }
    int idx = lineStarts[line - 1];
    for (int k = 1; k < col && idx < text.length(); k++) {
      idx += Character.charCount(text.codePointAt(idx));
    }
    return idx;
  }

  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  private static SyntaxError translate(JacksonException e) {
    String raw = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
    if (raw == null) {
      raw = e.getClass().getSimpleName();
    }
    int line = 0;
    int col = 0;
    Matcher m = POSITION.matcher(raw);
    while (m.find()) {
      line = Integer.parseInt(m.group(1));
      col = Integer.parseInt(m.group(2));
    }
    if (line == 0 && e.getLocation() != null) {
      line = e.getLocation().getLineNr();
      col = e.getLocation().getColumnNr();
    }
    // keep the explanatory lines, drop the source excerpt and caret lines
    StringBuilder sb = new StringBuilder();
    for (String l : raw.split("\n")) {
      String s = l.strip();
      if (s.isEmpty() || s.equals("^") || l.startsWith("    ") || s.startsWith("in reader")
          || s.startsWith("at [Source")) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(s.replace("\t", "\\t"));
    }
    String msg = sb.isEmpty() ? "invalid YAML" : "invalid YAML: " + sb;
    if (msg.length() > 300) {
      msg = msg.substring(0, 300) + "...";
    }
    return new SyntaxError(msg, line, col);
  }

  // YAML 1.1 implicit resolution as in PyYAML's Resolver.
  private static final Pattern BOOL =
      Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern FLOAT = Pattern.compile(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
          + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
          + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
          + "|[-+]?\\.(?:inf|Inf|INF)"
          + "|\\.(?:nan|NaN|NAN)");
  private static final Pattern INT = Pattern.compile(
      "[-+]?0b[0-1_]+"
          + "|[-+]?0[0-7_]+"
          + "|[-+]?(?:0|[1-9][0-9_]*)"
          + "|[-+]?0x[0-9a-fA-F_]+"
          + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
          + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
          + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?");
  private static final Pattern OTHER = Pattern.compile("<<|=|!|&|\\*");

  /** The YAML 1.1 type PyYAML's safe loader gives a scalar. */
  public static Type resolve(ScalarNode s) {
    if (s.tag() != null) {
      String tag = s.tag();
      return switch (tag) {
        case "tag:yaml.org,2002:str", "!!str" -> Type.STR;
        case "tag:yaml.org,2002:null", "!!null" -> Type.NULL;
        case "tag:yaml.org,2002:bool", "!!bool" -> Type.BOOL;
        case "tag:yaml.org,2002:int", "!!int" -> Type.INT;
        case "tag:yaml.org,2002:float", "!!float" -> Type.FLOAT;
        case "tag:yaml.org,2002:timestamp", "!!timestamp" -> Type.TIMESTAMP;
        default -> Type.OTHER;
      };
    }
    if (!s.plain()) {
      return Type.STR;
    }
    String v = s.text() == null ? "" : s.text();
    if (NULL.matcher(v).matches()) {
      return Type.NULL;
    }
    if (BOOL.matcher(v).matches()) {
      return Type.BOOL;
    }
    if (INT.matcher(v).matches()) {
      return Type.INT;
    }
    if (FLOAT.matcher(v).matches()) {
      return Type.FLOAT;
    }
    if (TIMESTAMP.matcher(v).matches()) {
      return Type.TIMESTAMP;
    }
    if (OTHER.matcher(v).matches()) {
      return Type.OTHER;
    }
    return Type.STR;
  }
}
