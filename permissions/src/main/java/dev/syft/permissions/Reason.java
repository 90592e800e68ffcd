package dev.syft.permissions;

/** Why a decision came out the way it did; the codes are the vectors' {@code decided_by.reason}. */
public enum Reason {
  /** The requester is the datasite owner, who may do everything. */
  OWNER("owner"),
  /** No permission file governs the path: deny. */
  NO_ACL_FILE("no-acl-file"),
  /** The governing file has no rule matching the path (there is no fallback to parent files): deny. */
  NO_MATCHING_RULE("no-matching-rule"),
  /** The first matching rule, in specificity order, decided. */
  RULE("rule"),
  /** A permission file could not be loaded, so every request is denied (fail closed). */
  LOAD_ERROR("load-error");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  /** {@code owner}, {@code no-acl-file}, {@code no-matching-rule}, {@code rule} or {@code load-error}. */
  public String code() {
    return code;
  }
}
