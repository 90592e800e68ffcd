package dev.syft.permissions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Compares {@link Glob} with an independent oracle: a transcription of how wcmatch translates a
 * glob into a regular expression (PATHNAME | GLOBSTAR, no DOTMATCH, POSIX), for random patterns and
 * paths over a small alphabet (literals, dots, '*', '?', simple classes, '/').
 */
class GlobDifferentialTest {
  private static final String NO_DIR = "(?!(?:\\.{1,2})(?:$|/))";
  private static final String STAR_AT_START = NO_DIR + "(?:(?!\\.)[^/]*?)?";
  private static final String STAR = "[^/]*?";
  private static final String GLOBSTAR = "(?:(?!(?:/|^)\\.).)*?";
  private static final String DIV = "(?:^|$|/)+";
  private static final String NEED_CHAR = "(?=[^/])";

  /** wcmatch's translation for the supported subset (no escapes, no ranges, no posix classes). */
  static Pattern oracle(String pattern) {
    java.util.List<String> cur = new java.util.ArrayList<>();
    cur.add("");
    boolean afterStart = true;
    boolean dirStart = false;
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        String value = afterStart ? STAR_AT_START : STAR;
        boolean globstar = false;
        if (afterStart && i < n && pattern.charAt(i) == '*') {
          i++;
          if (i >= n) {
            globstar = true;
          } else if (pattern.charAt(i) == '/') {
            i++;
            globstar = true;
          }
        }
        if (afterStart && !globstar) {
          value = NEED_CHAR + value;
          while (i < n && pattern.charAt(i) == '*') {
            i++;
          }
        }
        afterStart = false;
        dirStart = false;
        if (globstar) {
          if (!cur.get(cur.size() - 1).equals(DIV)) {
            if (cur.get(cur.size() - 1).isEmpty()) {
              cur.set(cur.size() - 1, GLOBSTAR);
            } else {
              cur.set(cur.size() - 1, "(?=/)");
              cur.add(GLOBSTAR);
            }
            while (i < n && pattern.charAt(i) == '/') {
              i++;
            }
            cur.add(DIV);
          }
          dirStart = true;
          afterStart = false;
        } else {
          cur.add(value);
        }
      } else if (c == '?' || c == '[') {
        String restrict = afterStart ? NO_DIR + "(?![/.])" : "(?![/])";
        if (c == '?') {
          cur.add(restrict + ".");
        } else {
          int close = pattern.indexOf(']', i + 1);
          int slash = pattern.indexOf('/', i);
          if (close < 0 || (slash >= 0 && slash < close)) {
            cur.add("\\[");
          } else {
            String body = pattern.substring(i, close);
            boolean neg = body.startsWith("!") || body.startsWith("^");
            String chars = neg ? body.substring(1) : body;
            cur.add(restrict + "[" + (neg ? "^" : "") + Pattern.quote(chars).replace("\\Q", "").replace("\\E", "") + "]");
            i = close + 1;
          }
        }
        afterStart = false;
        dirStart = false;
      } else if (c == '/') {
        dirStart = true;
        afterStart = false;
        cur.add("/+");
        while (i < n && pattern.charAt(i) == '/') {
          i++;
        }
      } else {
        cur.add(Pattern.quote(String.valueOf(c)));
      }
      // update_dir_state
      if (dirStart && !afterStart) {
        afterStart = true;
        dirStart = false;
      } else if (!dirStart && afterStart) {
        afterStart = false;
      }
    }
    cur.add("/*?");
    return Pattern.compile("^(?s:" + String.join("", cur) + ")$");
  }

  private static final String[] TOKENS = {"a", "b", ".", "*", "**", "?", "/", "[ab]", "[!a]", "a.b", "**/", "/**"};

  @RepeatedTest(30)
  void agreesWithWcmatchTranslation(RepetitionInfo info) {
    long seed = 0x9106L * 1000 + info.getCurrentRepetition();
    System.out.println("GlobDifferentialTest seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int k = 0; k < 300; k++) {
      StringBuilder pb = new StringBuilder();
      int len = 1 + rnd.nextInt(5);
      for (int t = 0; t < len; t++) {
        pb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
      }
      String pattern = pb.toString();
      if (pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      if (pattern.isEmpty() || pattern.endsWith("/") && !pattern.endsWith("**/")) {
        continue; // absolute and directory-only patterns: covered by GlobTest
      }
      Glob glob = Glob.compile(pattern);
      Pattern regex = oracle(pattern);
      for (int m = 0; m < 30; m++) {
        StringBuilder path = new StringBuilder();
        int segs = 1 + rnd.nextInt(4);
        for (int s = 0; s < segs; s++) {
          if (s > 0) {
            path.append('/');
          }
          int chars = 1 + rnd.nextInt(3);
          for (int ch = 0; ch < chars; ch++) {
            path.append("ab.".charAt(rnd.nextInt(3)));
          }
        }
        String p = path.toString();
        assertThat(glob.matches(p)).as("seed %d: '%s' ~ '%s' (oracle %s)", seed, pattern, p, regex)
            .isEqualTo(regex.matcher(p).matches());
      }
    }
  }
}
