package dev.syft.permissions;

/**
 * An error or warning about one permission file, with its position.
 *
 * @param file the permission file, relative to the datasite root (e.g. {@code team/syft.pub.yaml})
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 when unknown
 * @param severity {@link Severity#ERROR} makes the permission tree fail closed
 * @param message one line, for a person
 */
public record AclProblem(String file, int line, int column, Severity severity, String message) {

  /** How bad a problem is. */
  public enum Severity {
    /** The file cannot be loaded; every decision is denied until it is fixed. */
    ERROR,
    /** The file loads, but something in it is ignored or probably not what the author meant. */
    WARNING
  }

  public static AclProblem error(String file, int line, int column, String message) {
    return new AclProblem(file, line, column, Severity.ERROR, message);
  }

  public static AclProblem warning(String file, int line, int column, String message) {
    return new AclProblem(file, line, column, Severity.WARNING, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:column: message} (position parts omitted when unknown). */
  public String toText() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(message).toString();
  }

  @Override
  public String toString() {
    return toText();
  }
}
