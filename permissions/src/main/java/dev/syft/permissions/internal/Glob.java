package dev.syft.permissions.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A path glob with the semantics of Python {@code wcmatch.glob.globmatch(path, pattern,
 * flags=GLOBSTAR)} (wcmatch 10.1, POSIX): {@code **} as a whole segment spans zero or more segments,
 * {@code *} and {@code ?} stay inside one segment, {@code [...]} classes ({@code !} or {@code ^}
 * negate, POSIX names), backslash escapes. Wildcards never match a leading dot (no DOTMATCH), braces,
 * extended globs and {@code !} negation are literal, matching is case-sensitive and anchored.
 *
 * <p>The JDK {@code PathMatcher} differs on several of these points, so this is our own matcher:
 * patterns are split into segments once, and a path is matched segment by segment without
 * allocating.
 */
public final class Glob {
  private static final byte LIT = 0;
  private static final byte STAR = 1;
  private static final byte QMARK = 2;
  private static final byte CLASS = 3;

  /** One pattern segment: a globstar or a token sequence. */
  static final class Segment {
    final boolean globstar;
    final byte[] kinds;
    final String[] lits;
    final CharClass[] classes;
    final String literal; // non-null when the segment is one plain literal

    Segment(boolean globstar, byte[] kinds, String[] lits, CharClass[] classes) {
      this.globstar = globstar;
      this.kinds = kinds;
      this.lits = lits;
      this.classes = classes;
      this.literal = (!globstar && kinds.length == 1 && kinds[0] == LIT) ? lits[0] : null;
    }

    boolean firstIsWildcard() {
      return kinds.length > 0 && kinds[0] != LIT;
    }
  }

  /** A segment that only an empty path segment ({@code a//b}) matches. */
  private static final Segment EMPTY = new Segment(false, new byte[] {LIT}, new String[] {""}, new CharClass[1]);

  private final String source;
  private final boolean absolute;
  private final boolean trailingSlash;
  private final Segment[] segments;

  // tailFixed[i]: number of segments after segment i when none of them is a globstar, else -1
  private final int[] tailFixed;

  private Glob(String source, boolean absolute, boolean trailingSlash, Segment[] segments) {
    this.source = source;
    this.absolute = absolute;
    this.trailingSlash = trailingSlash;
    this.segments = segments;
    this.tailFixed = new int[segments.length];
    int fixed = 0;
    for (int i = segments.length - 1; i >= 0; i--) {
      tailFixed[i] = fixed;
      if (fixed >= 0) {
        fixed = segments[i].globstar ? -1 : fixed + 1;
      }
    }
  }

  /** True when the reference treats a (resolved) pattern as a glob rather than an exact string. */
  public static boolean isGlob(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  /** Escapes glob metacharacters so the result matches {@code literal} exactly. */
  public static String escape(String literal) {
    StringBuilder sb = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      switch (c) {
        case '*' -> sb.append("[*]");
        case '?' -> sb.append("[?]");
        case '[' -> sb.append("[[]");
        case '\\' -> sb.append("[\\\\]");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  public String source() {
    return source;
  }

  /** True for the pattern {@code **} alone (every path without a dot segment). */
  public boolean isMatchAll() {
    return segments.length == 1 && segments[0].globstar && !absolute && !trailingSlash;
  }

  /**
   * The literal first segment when the pattern has more segments after it (a necessary prefix
   * {@code literal + "/"} of every matching path), else null.
   */
  public String literalFirstSegment() {
    if (absolute || segments.length < 2 || segments[0].literal == null || segments[0].literal.isEmpty()) {
      return null;
    }
    return segments[0].literal;
  }

  /** True when {@code p[from, end)} is non-empty and no segment in it starts with a dot. */
  public static boolean noDotSegment(String p, int from) {
    int end = p.length();
    if (end <= from) {
      return false;
    }
    return p.charAt(from) != '.' && p.indexOf("/.", from) < 0;
  }

  /** Compiles a pattern; never fails (malformed classes are literal text, as in wcmatch). */
  public static Glob compile(String pattern) {
    int n = pattern.length();
    int i = 0;
    boolean absolute = false;
    if (n > 0 && pattern.charAt(0) == '/') {
      absolute = true;
      while (i < n && pattern.charAt(i) == '/') {
        i++;
      }
    }
    List<Segment> segs = new ArrayList<>();
    List<Integer> slashRuns = new ArrayList<>(); // separators after each segment
    SegmentBuilder cur = new SegmentBuilder();
    boolean endedWithSeparator = false;
    while (i < n) {
      char c = pattern.charAt(i);
      if (c == '/' || (c == '\\' && i + 1 < n && pattern.charAt(i + 1) == '/')) {
        i += (c == '/') ? 1 : 2;
        int run = 1;
        while (i < n && pattern.charAt(i) == '/') {
          i++;
          run++;
        }
        if (cur.finish(segs)) {
          slashRuns.add(run);
        }
        cur = new SegmentBuilder();
        endedWithSeparator = (i >= n);
        continue;
      }
      endedWithSeparator = false;
      if (c == '\\') {
        if (i + 1 >= n) {
          cur.raw.append('\\');
          i++; // a trailing backslash escapes nothing and is dropped
          continue;
        }
        int d = pattern.codePointAt(i + 1);
        cur.raw.append('\\').appendCodePoint(d);
        cur.literal(new String(Character.toChars(d)));
        i += 1 + Character.charCount(d);
      } else if (c == '[') {
        CharClass.Parsed parsed = CharClass.parseGlob(pattern, i + 1);
        if (parsed == null) {
          cur.raw.append('[');
          cur.literal("[");
          i++;
        } else {
          cur.raw.append(pattern, i, parsed.next());
          cur.charClass(parsed.charClass());
          i = parsed.next();
        }
      } else if (c == '*') {
        cur.raw.append('*');
        cur.star();
        i++;
      } else if (c == '?') {
        cur.raw.append('?');
        cur.qmark();
        i++;
      } else {
        int cp = pattern.codePointAt(i);
        cur.raw.appendCodePoint(cp);
        cur.literal(new String(Character.toChars(cp)));
        i += Character.charCount(cp);
      }
    }
    if (cur.finish(segs)) {
      slashRuns.add(0);
    }
    // a separator after a final globstar is swallowed by it; any other final separator means
    // "directories only", which a normalised path never satisfies
    boolean trailing = endedWithSeparator && !(segs.size() > 0 && segs.get(segs.size() - 1).globstar);
    // consecutive globstars collapse into one; wcmatch then keeps the extra separators of a run
    // like '**/**//', which demand an empty segment
    List<Segment> collapsed = new ArrayList<>(segs.size());
    for (int k = 0; k < segs.size(); k++) {
      Segment s = segs.get(k);
      if (s.globstar && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).globstar) {
        if (slashRuns.get(k) >= 2) {
          collapsed.add(EMPTY);
        }
        continue;
      }
      collapsed.add(s);
    }
    return new Glob(pattern, absolute, trailing, collapsed.toArray(new Segment[0]));
  }

  private static final class SegmentBuilder {
    final StringBuilder raw = new StringBuilder();
    final List<Byte> kinds = new ArrayList<>();
    final List<String> lits = new ArrayList<>();
    final List<CharClass> classes = new ArrayList<>();
    StringBuilder pendingLiteral;

    void flushLiteral() {
      if (pendingLiteral != null) {
        kinds.add(LIT);
        lits.add(pendingLiteral.toString());
        classes.add(null);
        pendingLiteral = null;
      }
    }

    void literal(String s) {
      if (pendingLiteral == null) {
        pendingLiteral = new StringBuilder();
      }
      pendingLiteral.append(s);
    }

    void star() {
      flushLiteral();
      if (!kinds.isEmpty() && kinds.get(kinds.size() - 1) == STAR) {
        return; // '**' inside a segment is one '*'
      }
      kinds.add(STAR);
      lits.add(null);
      classes.add(null);
    }

    void qmark() {
      flushLiteral();
      kinds.add(QMARK);
      lits.add(null);
      classes.add(null);
    }

    void charClass(CharClass cc) {
      flushLiteral();
      kinds.add(CLASS);
      lits.add(null);
      classes.add(cc);
    }

    boolean finish(List<Segment> out) {
      flushLiteral();
      if (kinds.isEmpty()) {
        return false;
      }
      boolean globstar = raw.toString().equals("**");
      byte[] k = new byte[kinds.size()];
      for (int j = 0; j < k.length; j++) {
        k[j] = kinds.get(j);
      }
      out.add(new Segment(globstar, k, lits.toArray(new String[0]), classes.toArray(new CharClass[0])));
      return true;
    }
  }

  /** Whole-path match (the path relative to the permission file's folder). */
  public boolean matches(String path) {
    return matches(path, 0);
  }

  /** Matches {@code path.substring(from)} without copying it. */
  public boolean matches(String path, int from) {
    int end = path.length();
    if (end <= from) {
      return false; // wcmatch 10.1: nothing matches the empty path (vector path-05)
    }
    if (trailingSlash) {
      if (path.charAt(end - 1) != '/') {
        return false;
      }
    }
    while (end > from && path.charAt(end - 1) == '/') {
      end--;
    }
    int pos = from;
    if (absolute) {
      if (path.charAt(from) != '/') {
        return false;
      }
      while (pos < end && path.charAt(pos) == '/') {
        pos++;
      }
    }
    if (pos >= end) {
      return segments.length == 0;
    }
    return matchFrom(0, path, pos, end);
  }

  private boolean matchFrom(int si, String p, int pos, int end) {
    if (si == segments.length) {
      return pos == end;
    }
    Segment s = segments[si];
    if (s.globstar) {
      boolean mustConsume = si > 0 && si == segments.length - 1;
      if (tailFixed[si] >= 0) {
        // no globstar follows: this one takes everything but the last tailFixed[si] segments
        int tailStart = end;
        for (int k = 0; k < tailFixed[si]; k++) {
          if (tailStart <= pos) {
            return false; // not enough segments left
          }
          int segEnd = (tailStart == end) ? end : tailStart - 1;
          int slash = p.lastIndexOf('/', segEnd - 1);
          tailStart = (slash < pos) ? pos : slash + 1;
        }
        if (mustConsume && tailStart == pos) {
          return false;
        }
        int consumedEnd = tailStart == end ? end : tailStart - 1;
        for (int i = pos; i < consumedEnd; i++) {
          if (p.charAt(i) == '.' && (i == pos || p.charAt(i - 1) == '/')) {
            return false; // '**' never enters a dot segment
          }
        }
        return matchFrom(si + 1, p, tailStart, end);
      }
      int q = pos;
      if (!mustConsume && matchFrom(si + 1, p, q, end)) {
        return true;
      }
      while (q < end) {
        if (p.charAt(q) == '.') {
          return false; // '**' never enters a dot segment
        }
        int e = segEnd(p, q, end);
        q = (e == end) ? end : e + 1;
        if (matchFrom(si + 1, p, q, end)) {
          return true;
        }
      }
      return false;
    }
    if (pos >= end) {
      return false;
    }
    int e = segEnd(p, pos, end);
    if (!segmentMatches(s, p, pos, e)) {
      return false;
    }
    return matchFrom(si + 1, p, e == end ? end : e + 1, end);
  }

  private static int segEnd(String p, int from, int end) {
    int e = p.indexOf('/', from);
    return (e < 0 || e > end) ? end : e;
  }

  /** Matches one pattern segment against {@code p[from, to)} (one path segment, no '/'). */
  static boolean segmentMatches(Segment s, String p, int from, int to) {
    if (s.literal != null) {
      return to - from == s.literal.length() && p.startsWith(s.literal, from);
    }
    int startToken = 0;
    if (s.firstIsWildcard()) {
      int len = to - from;
      if (len == 0) {
        return false;
      }
      char c0 = p.charAt(from);
      // a wildcard at the start of a segment never matches "." or ".."
      if (c0 == '.' && (len == 1 || (len == 2 && p.charAt(from + 1) == '.'))) {
        return false;
      }
      if (c0 == '.') {
        if (s.kinds[0] != STAR) {
          return false; // '?' and classes do not match a leading dot
        }
        startToken = 1; // a leading '*' may only match the empty string here
      }
    }
    return wildcard(s, startToken, p, from, to);
  }

  private static boolean wildcard(Segment s, int startToken, String p, int from, int to) {
    byte[] kinds = s.kinds;
    int nt = kinds.length;
    int ti = startToken;
    int i = from;
    int starTi = -1;
    int starI = -1;
    while (i < to) {
      if (ti < nt) {
        byte k = kinds[ti];
        if (k == STAR) {
          starTi = ti++;
          starI = i;
          continue;
        }
        if (k == LIT) {
          String lit = s.lits[ti];
          if (i + lit.length() <= to && p.startsWith(lit, i)) {
            i += lit.length();
            ti++;
            continue;
          }
        } else {
          int cp = p.codePointAt(i);
          if (k == QMARK || s.classes[ti].matches(cp)) {
            i += Character.charCount(cp);
            ti++;
            continue;
          }
        }
      }
      if (starTi >= 0) {
        ti = starTi + 1;
        starI += Character.charCount(p.codePointAt(starI));
        i = starI;
        continue;
      }
      return false;
    }
    while (ti < nt && kinds[ti] == STAR) {
      ti++;
    }
    return ti == nt;
  }

  /**
   * True when some (non-dot) path strictly below {@code folder} could match this pattern. Used by the
   * authoring API to find the rules a new folder rule would hide; {@code folder} is relative to the
   * permission file's folder and non-empty.
   */
  public boolean mayMatchUnder(String folder) {
    if (absolute || trailingSlash) {
      return false;
    }
    String[] f = folder.split("/");
    return prefix(0, f, 0, false);
  }

  /**
   * True when every non-dot path strictly below {@code folder} matches this pattern (the pattern
   * "covers" the folder).
   */
  public boolean coversFolder(String folder) {
    if (absolute || trailingSlash) {
      return false;
    }
    String[] f = folder.split("/");
    return prefix(0, f, 0, true);
  }

  private boolean prefix(int si, String[] f, int fi, boolean cover) {
    if (fi == f.length) {
      // the rest of the pattern must match (some / every) non-empty continuation
      if (si == segments.length) {
        return false;
      }
      if (cover) {
        for (int k = si; k < segments.length; k++) {
          if (!segments[k].globstar) {
            return false;
          }
        }
        return true;
      }
      return true;
    }
    if (si == segments.length) {
      return false;
    }
    Segment s = segments[si];
    String seg = f[fi];
    if (s.globstar) {
      if (prefix(si + 1, f, fi, cover)) {
        return true;
      }
      return !seg.startsWith(".") && prefix(si, f, fi + 1, cover);
    }
    return segmentMatches(s, seg, 0, seg.length()) && prefix(si + 1, f, fi + 1, cover);
  }

  @Override
  public String toString() {
    return source;
  }
}
