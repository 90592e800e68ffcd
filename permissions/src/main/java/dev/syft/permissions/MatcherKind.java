package dev.syft.permissions;

/**
 * How a rule's (resolved) pattern is compared with the path: as a glob when it contains
 * {@code *}, {@code ?} or {@code [}, otherwise as an exact string. The names are the vectors'
 * {@code decided_by.matcher}.
 */
public enum MatcherKind {
  GLOB("GlobMatcher"),
  EXACT("ExactMatcher");

  private final String referenceName;

  MatcherKind(String referenceName) {
    this.referenceName = referenceName;
  }

  /** {@code GlobMatcher} or {@code ExactMatcher}, as the reference names them. */
  public String referenceName() {
    return referenceName;
  }
}
