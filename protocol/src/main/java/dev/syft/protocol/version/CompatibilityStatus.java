package dev.syft.protocol.version;

/** Result of comparing the local client version with a peer's (PROTOCOL.md 6.7). */
public enum CompatibilityStatus {
  /** Identical version strings. */
  SAME("same"),
  /** Same major and minor, different strings. */
  PATCH_DIFF("patch_diff"),
  /** Major or minor differ. */
  INCOMPATIBLE("incompatible"),
  /** The peer's version is not known (no readable version file). */
  UNKNOWN("unknown");

  private final String wireName;

  CompatibilityStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The reference's name for the status. */
  public String wireName() {
    return wireName;
  }
}
