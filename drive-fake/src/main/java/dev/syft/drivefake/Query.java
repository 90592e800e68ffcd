package dev.syft.drivefake;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The subset of Drive's {@code q} search language the fake understands: {@code and}, {@code or},
 * {@code not}, parentheses; {@code name = | != | contains}, {@code fullText contains}, {@code
 * mimeType = | !=}, {@code trashed = | !=}, {@code starred}, {@code sharedWithMe}, {@code
 * createdTime}/{@code modifiedTime} comparisons, {@code 'x' in parents | owners | writers | readers},
 * and {@code appProperties has { key='k' and value='v' }}. Anything else is a 400, as on Drive.
 *
 * <p>{@code name contains} follows real Drive rather than a substring test: the name and the value
 * are split into words (runs of letters and digits, case-insensitive); the value's words must appear
 * in the name consecutively, the last one as a prefix. So {@code 'abc'} matches {@code abc.txt} and
 * {@code abcd}, not {@code xabc}.
 */
final class Query {
  /** What a condition may ask about the item and the caller. */
  interface Env {
    String user();

    Instant now();

    /** Resolves the {@code root} alias to the caller's My Drive root id. */
    String resolveId(String id);

    /** Roles of a user on an item, including through its folders: "owner", "writer", "reader" or null. */
    String roleOf(String email, Item item);
  }

  /** A compiled condition. */
  interface Cond {
    boolean test(Item item, Env env);
  }

  private final List<Tok> toks;
  private int pos;
  private final String text;

  private Query(String text) {
    this.text = text;
    this.toks = lex(text);
  }

  /** Compiles {@code q}; null or blank matches everything. */
  static Cond compile(String q) {
    if (q == null || q.isBlank()) {
      return (i, e) -> true;
    }
    Query p = new Query(q);
    Cond c = p.or();
    if (p.pos != p.toks.size()) {
      throw p.error();
    }
    return c;
  }

  // ------------------------------------------------------------------ grammar

  private Cond or() {
    Cond left = and();
    while (peekWord("or")) {
      pos++;
      Cond a = left;
      Cond b = and();
      left = (i, e) -> a.test(i, e) || b.test(i, e);
    }
    return left;
  }

  private Cond and() {
    Cond left = unary();
    while (peekWord("and")) {
      pos++;
      Cond a = left;
      Cond b = unary();
      left = (i, e) -> a.test(i, e) && b.test(i, e);
    }
    return left;
  }

  private Cond unary() {
    if (peekWord("not")) {
      pos++;
      Cond c = unary();
      return (i, e) -> !c.test(i, e);
    }
    if (peek("(")) {
      pos++;
      Cond c = or();
      expect(")");
      return c;
    }
    return term();
  }

  private Cond term() {
    Tok t = next();
    if (t.kind == Kind.STRING) {
      expectWord("in");
      String field = word();
      String value = t.text;
      return switch (field) {
        case "parents" -> (i, e) -> i.searchParents(e.now()).contains(e.resolveId(value));
        case "owners" -> (i, e) -> i.owner.equals(who(value, e));
        case "writers" -> (i, e) -> {
          String r = e.roleOf(who(value, e), i);
          return "owner".equals(r) || "writer".equals(r);
        };
        case "readers" -> (i, e) -> e.roleOf(who(value, e), i) != null;
        default -> throw error();
      };
    }
    if (t.kind != Kind.WORD) {
      throw error();
    }
    String field = t.text;
    if (field.equals("appProperties") || field.equals("properties")) {
      expectWord("has");
      expect("{");
      expectWord("key");
      expect("=");
      String key = string();
      expectWord("and");
      expectWord("value");
      expect("=");
      String value = string();
      expect("}");
      boolean app = field.equals("appProperties");
      return (i, e) -> value.equals((app ? i.appProperties : i.properties).get(key));
    }
    Tok op = next();
    String o = op.kind == Kind.WORD ? op.text.toLowerCase(Locale.ROOT) : op.text;
    switch (field) {
      case "name" -> {
        String v = string();
        return switch (o) {
          case "=" -> (i, e) -> i.name.equals(v);
          case "!=" -> (i, e) -> !i.name.equals(v);
          case "contains" -> (i, e) -> nameContains(i.name, v);
          default -> throw error();
        };
      }
      case "fullText" -> {
        String v = string();
        if (!o.equals("contains")) {
          throw error();
        }
        return (i, e) -> nameContains(i.name, v)
            || (i.description != null && i.description.toLowerCase(Locale.ROOT).contains(v.toLowerCase(Locale.ROOT)));
      }
      case "mimeType" -> {
        String v = string();
        return switch (o) {
          case "=" -> (i, e) -> i.mimeType.equals(v);
          case "!=" -> (i, e) -> !i.mimeType.equals(v);
          default -> throw error();
        };
      }
      case "trashed", "starred", "sharedWithMe" -> {
        if (!o.equals("=") && !o.equals("!=")) {
          throw error();
        }
        boolean v = bool();
        boolean eq = o.equals("=");
        return (i, e) -> {
          boolean actual = switch (field) {
            case "trashed" -> i.trashed;
            case "starred" -> false;
            default -> !i.owner.equals(e.user()) && i.permOf(e.user()) != null;
          };
          return (actual == v) == eq;
        };
      }
      case "createdTime", "modifiedTime" -> {
        Instant v;
        try {
          v = Instant.parse(string());
        } catch (DateTimeParseException ex) {
          throw error();
        }
        if (!List.of("=", "!=", "<", "<=", ">", ">=").contains(o)) {
          throw error();
        }
        boolean created = field.equals("createdTime");
        return (i, e) -> {
          int c = (created ? i.created : i.modified).compareTo(v);
          return switch (o) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        };
      }
      default -> throw error();
    }
  }

  private static String who(String value, Query.Env e) {
    return value.equals("me") ? e.user() : value.toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ name contains, like Drive

  /** Words of a name: runs of letters and digits, lower case. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int k = 0; k < s.length(); ) {
      int cp = s.codePointAt(k);
      k += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        cur.appendCodePoint(Character.toLowerCase(cp));
      } else if (cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  static boolean nameContains(String name, String value) {
    List<String> q = words(value);
    if (q.isEmpty()) {
      return name.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
    }
    List<String> n = words(name);
    for (int start = 0; start + q.size() <= n.size(); start++) {
      boolean ok = true;
      for (int j = 0; j < q.size() && ok; j++) {
        String have = n.get(start + j);
        ok = j == q.size() - 1 ? have.startsWith(q.get(j)) : have.equals(q.get(j));
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ tokens

  private enum Kind { STRING, WORD, SYMBOL }

  private record Tok(Kind kind, String text) {}

  private static List<Tok> lex(String s) {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char d = s.charAt(i++);
          if (d == '\\' && i < s.length()) {
            b.append(s.charAt(i++));
          } else if (d == c) {
            closed = true;
            break;
          } else {
            b.append(d);
          }
        }
        if (!closed) {
          throw DriveError.invalid("Invalid Value", "q");
        }
        out.add(new Tok(Kind.STRING, b.toString()));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Tok(Kind.WORD, s.substring(start, i)));
      } else if ((c == '!' || c == '<' || c == '>') && i + 1 < s.length() && s.charAt(i + 1) == '=') {
        out.add(new Tok(Kind.SYMBOL, s.substring(i, i + 2)));
        i += 2;
      } else if ("=<>(){}".indexOf(c) >= 0) {
        out.add(new Tok(Kind.SYMBOL, String.valueOf(c)));
        i++;
      } else {
        throw DriveError.invalid("Invalid Value", "q");
      }
    }
    return out;
  }

  private Tok next() {
    if (pos >= toks.size()) {
      throw error();
    }
    return toks.get(pos++);
  }

  private boolean peek(String symbol) {
    return pos < toks.size() && toks.get(pos).kind == Kind.SYMBOL && toks.get(pos).text.equals(symbol);
  }

  private boolean peekWord(String w) {
    return pos < toks.size() && toks.get(pos).kind == Kind.WORD && toks.get(pos).text.equalsIgnoreCase(w);
  }

  private void expect(String symbol) {
    if (!peek(symbol)) {
      throw error();
    }
    pos++;
  }

  private void expectWord(String w) {
    if (!peekWord(w)) {
      throw error();
    }
    pos++;
  }

  private String word() {
    Tok t = next();
    if (t.kind != Kind.WORD) {
      throw error();
    }
    return t.text;
  }

  private String string() {
    Tok t = next();
    if (t.kind != Kind.STRING) {
      throw error();
    }
    return t.text;
  }

  private boolean bool() {
    String w = word().toLowerCase(Locale.ROOT);
    return switch (w) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error();
    };
  }

  private DriveError error() {
    return DriveError.invalid("Invalid Value (query: " + text + ")", "q");
  }
}
