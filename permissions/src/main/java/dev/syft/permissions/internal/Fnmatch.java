package dev.syft.permissions.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code fnmatch.fnmatchcase} on POSIX: {@code *} matches any run (including {@code @},
 * {@code .} and {@code /}), {@code ?} one character, {@code [...]} a class ({@code !} negates).
 * Used for wildcard principals such as {@code *@example.com}.
 */
public final class Fnmatch {
  private static final byte LIT = 0;
  private static final byte STAR = 1;
  private static final byte QMARK = 2;
  private static final byte CLASS = 3;

  private final byte[] kinds;
  private final int[] cps;
  private final CharClass[] classes;

  private Fnmatch(byte[] kinds, int[] cps, CharClass[] classes) {
    this.kinds = kinds;
    this.cps = cps;
    this.classes = classes;
  }

  public static Fnmatch compile(String pattern) {
    List<Byte> k = new ArrayList<>();
    List<Integer> c = new ArrayList<>();
    List<CharClass> cl = new ArrayList<>();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      int cp = pattern.codePointAt(i);
      if (cp == '*') {
        if (k.isEmpty() || k.get(k.size() - 1) != STAR) {
          k.add(STAR);
          c.add(0);
          cl.add(null);
        }
        i++;
      } else if (cp == '?') {
        k.add(QMARK);
        c.add(0);
        cl.add(null);
        i++;
      } else if (cp == '[') {
        CharClass.Parsed parsed = CharClass.parseFnmatch(pattern, i + 1);
        if (parsed == null) {
          k.add(LIT);
          c.add((int) '[');
          cl.add(null);
          i++;
        } else {
          k.add(CLASS);
          c.add(0);
          cl.add(parsed.charClass());
          i = parsed.next();
        }
      } else {
        k.add(LIT);
        c.add(cp);
        cl.add(null);
        i += Character.charCount(cp);
      }
    }
    byte[] kinds = new byte[k.size()];
    int[] cps = new int[c.size()];
    for (int j = 0; j < kinds.length; j++) {
      kinds[j] = k.get(j);
      cps[j] = c.get(j);
    }
    return new Fnmatch(kinds, cps, cl.toArray(new CharClass[0]));
  }

  public boolean matches(String s) {
    int nt = kinds.length;
    int ti = 0;
    int i = 0;
    int n = s.length();
    int starTi = -1;
    int starI = -1;
    while (i < n) {
      if (ti < nt) {
        byte k = kinds[ti];
        if (k == STAR) {
          starTi = ti++;
          starI = i;
          continue;
        }
        int cp = s.codePointAt(i);
        boolean ok = switch (k) {
          case LIT -> cp == cps[ti];
          case QMARK -> true;
          default -> classes[ti].matches(cp);
        };
        if (ok) {
          i += Character.charCount(cp);
          ti++;
          continue;
        }
      }
      if (starTi >= 0) {
        ti = starTi + 1;
        starI += Character.charCount(s.codePointAt(starI));
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
}
