package dev.syft.permissions.internal;

import java.util.ArrayList;
import java.util.List;

/** A bracket expression ({@code [a-z]}, {@code [!x]}) as a set of code point ranges. */
final class CharClass {
  private final int[] lo;
  private final int[] hi;
  private final boolean negated;

  private CharClass(List<int[]> ranges, boolean negated) {
    this.lo = new int[ranges.size()];
    this.hi = new int[ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      lo[i] = ranges.get(i)[0];
      hi[i] = ranges.get(i)[1];
    }
    this.negated = negated;
  }

  boolean matches(int cp) {
    boolean in = false;
    for (int i = 0; i < lo.length; i++) {
      if (cp >= lo[i] && cp <= hi[i]) {
        in = true;
        break;
      }
    }
    return in != negated;
  }

  /** Result of parsing a bracket expression: the class and the index just after the closing bracket. */
  record Parsed(CharClass charClass, int next) {}

  private static final String[] POSIX = {
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "word", "xdigit"
  };

  /**
   * Parses a glob (wcmatch) bracket expression starting just after {@code [}. Returns null when the
   * expression is not a valid class (no closing bracket, or a path separator inside), in which case
   * the caller treats {@code [} as a literal character.
   */
  static Parsed parseGlob(String p, int start) {
    int n = p.length();
    int i = start;
    if (i >= n) {
      return null;
    }
    List<int[]> ranges = new ArrayList<>();
    boolean negated = false;
    int c = p.codePointAt(i);
    if (c == '!' || c == '^') {
      negated = true;
      i += Character.charCount(c);
      if (i >= n) {
        return null;
      }
      c = p.codePointAt(i);
    }
    boolean first = true;
    boolean afterRange = false;
    while (true) {
      if (i >= n) {
        return null;
      }
      c = p.codePointAt(i);
      if (c == ']' && !first) {
        return new Parsed(new CharClass(ranges, negated), i + 1);
      }
      if (c == '/') {
        return null;
      }
      if (c == '[' && i + 1 < n && p.charAt(i + 1) == ':') {
        int posixEnd = posixClass(p, i + 2, ranges);
        if (posixEnd > 0) {
          i = posixEnd;
          first = false;
          afterRange = true; // a '-' after a posix class is literal
          continue;
        }
      }
      int single;
      int width;
      if (c == '\\') {
        if (i + 1 >= n) {
          return null;
        }
        int d = p.codePointAt(i + 1);
        if (d == '/') {
          return null;
        }
        single = d;
        width = 1 + Character.charCount(d);
      } else {
        single = c;
        width = Character.charCount(c);
      }
      i += width;
      // a range "x-y": the hyphen must be followed by something other than the closing bracket, and
      // a hyphen right after a completed range is literal
      if (!(afterRange && c == '-') && i + 1 < n && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        int endStart = i + 1;
        int e = p.codePointAt(endStart);
        int ew = Character.charCount(e);
        if (e == '/') {
          return null;
        }
        if (e == '\\' && endStart + 1 < n) {
          e = p.codePointAt(endStart + 1);
          if (e == '/') {
            return null;
          }
          ew = 1 + Character.charCount(e);
        }
        if (e == '[' && endStart + 1 < n && p.charAt(endStart + 1) == ':') {
          // a posix class cannot end a range: the hyphen is literal
          ranges.add(new int[] {single, single});
          ranges.add(new int[] {'-', '-'});
          i = endStart;
          first = false;
          afterRange = false;
          continue;
        }
        if (single <= e) {
          ranges.add(new int[] {single, e});
        } // a reversed range matches nothing
        i = endStart + ew;
        first = false;
        afterRange = true;
        continue;
      }
      ranges.add(new int[] {single, single});
      first = false;
      afterRange = false;
    }
  }

  private static int posixClass(String p, int nameStart, List<int[]> ranges) {
    for (String name : POSIX) {
      if (p.startsWith(name + ":]", nameStart)) {
        addPosix(name, ranges);
        return nameStart + name.length() + 2;
      }
    }
    return -1;
  }

  private static void addPosix(String name, List<int[]> r) {
    switch (name) {
      case "alnum" -> {
        r.add(new int[] {'a', 'z'});
        r.add(new int[] {'A', 'Z'});
        r.add(new int[] {'0', '9'});
      }
      case "alpha" -> {
        r.add(new int[] {'a', 'z'});
        r.add(new int[] {'A', 'Z'});
      }
      case "ascii" -> r.add(new int[] {0, 0x7f});
      case "blank" -> {
        r.add(new int[] {' ', ' '});
        r.add(new int[] {'\t', '\t'});
      }
      case "cntrl" -> {
        r.add(new int[] {0, 0x1f});
        r.add(new int[] {0x7f, 0x7f});
      }
      case "digit" -> r.add(new int[] {'0', '9'});
      case "graph" -> r.add(new int[] {0x21, 0x7e});
      case "lower" -> r.add(new int[] {'a', 'z'});
      case "print" -> r.add(new int[] {0x20, 0x7e});
      case "punct" -> {
        r.add(new int[] {0x21, 0x2f});
        r.add(new int[] {0x3a, 0x40});
        r.add(new int[] {0x5b, 0x60});
        r.add(new int[] {0x7b, 0x7e});
      }
      case "space" -> {
        r.add(new int[] {' ', ' '});
        r.add(new int[] {0x09, 0x0d});
      }
      case "upper" -> r.add(new int[] {'A', 'Z'});
      case "word" -> {
        r.add(new int[] {'a', 'z'});
        r.add(new int[] {'A', 'Z'});
        r.add(new int[] {'0', '9'});
        r.add(new int[] {'_', '_'});
      }
      case "xdigit" -> {
        r.add(new int[] {'0', '9'});
        r.add(new int[] {'a', 'f'});
        r.add(new int[] {'A', 'F'});
      }
      default -> throw new IllegalArgumentException(name);
    }
  }

  /**
   * Parses a Python {@code fnmatch} bracket expression starting just after {@code [}: {@code !}
   * negates, {@code ^} is literal, backslash is literal, {@code /} is an ordinary character. Returns
   * null when there is no closing bracket ({@code [} is then literal).
   */
  static Parsed parseFnmatch(String p, int start) {
    int n = p.length();
    int j = start;
    if (j < n && p.charAt(j) == '!') {
      j++;
    }
    if (j < n && p.charAt(j) == ']') {
      j++;
    }
    while (j < n && p.charAt(j) != ']') {
      j++;
    }
    if (j >= n) {
      return null;
    }
    String stuff = p.substring(start, j);
    boolean negated = stuff.startsWith("!");
    if (negated) {
      stuff = stuff.substring(1);
    }
    List<int[]> ranges = new ArrayList<>();
    int[] cps = stuff.codePoints().toArray();
    int k = 0;
    while (k < cps.length) {
      int c = cps[k];
      if (k + 2 < cps.length && cps[k + 1] == '-') {
        if (c <= cps[k + 2]) {
          ranges.add(new int[] {c, cps[k + 2]});
        }
        k += 3;
      } else {
        ranges.add(new int[] {c, c});
        k++;
      }
    }
    return new Parsed(new CharClass(ranges, negated), j + 1);
  }
}
