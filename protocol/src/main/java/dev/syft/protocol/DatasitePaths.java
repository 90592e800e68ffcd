package dev.syft.protocol;

/**
 * Datasite-relative paths: the POSIX strings that appear in messages ({@code path_in_datasite}), in
 * permission files and on disk under a datasite.
 *
 * <p>{@link #normalize} applies the reference's POSIX {@code pathlib} normalisation (empty and
 * {@code .} segments collapse, a trailing slash is dropped) and refuses anything that could resolve
 * outside the folder it is joined to. Everything received from a peer goes through it before use.
 */
public final class DatasitePaths {
  /** Longest accepted path, in characters; far above any real datasite path. */
  public static final int MAX_PATH_LENGTH = 4096;

  /**
   * Prefix of temporary files (half-written, to be renamed): the sync scan, job and dataset walks and
   * the local transport's listings skip names that start with it, so they never travel.
   */
  public static final String TEMP_PREFIX = ".syft-tmp-";

  private DatasitePaths() {}

  /**
   * Returns the normalised form of a relative path ({@code a//b/./c/} becomes {@code a/b/c}).
   *
   * @throws UnsafePathException if the path is empty after normalisation, absolute, contains a
   *     {@code ..} segment, a backslash, NUL or another control character, or is too long
   */
  public static String normalize(String path) {
    if (path == null) {
      throw new UnsafePathException("path is missing");
    }
    if (path.length() > MAX_PATH_LENGTH) {
      throw new UnsafePathException("path is longer than " + MAX_PATH_LENGTH + " characters");
    }
    if (path.startsWith("/")) {
      throw new UnsafePathException("absolute path refused: " + printable(path));
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw new UnsafePathException("backslash in path refused: " + printable(path));
      }
      if (c < 0x20 || c == 0x7f) {
        throw new UnsafePathException("control character in path refused: " + printable(path));
      }
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new UnsafePathException("'..' in path refused: " + printable(path));
      }
      if (segment.length() == 2 && segment.charAt(1) == ':' && Character.isLetter(segment.charAt(0))
          && out.isEmpty()) {
        throw new UnsafePathException("drive-letter path refused: " + printable(path));
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(segment);
    }
    if (out.isEmpty()) {
      throw new UnsafePathException("empty path refused: " + printable(path));
    }
    return out.toString();
  }

  /** True when {@link #normalize} would accept the path. */
  public static boolean isSafe(String path) {
    try {
      normalize(path);
      return true;
    } catch (UnsafePathException e) {
      return false;
    }
  }

  /** Quotes a path for an error message, escaping control characters so the message stays one line. */
  public static String printable(String path) {
    StringBuilder sb = new StringBuilder("'");
    int limit = Math.min(path.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (path.length() > limit) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
