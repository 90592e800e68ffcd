package dev.syft.permissions;

import java.util.List;

/**
 * The outcome of one permission check and what decided it (mirrors the vectors' {@code decided_by}).
 *
 * @param allowed the answer
 * @param reason why
 * @param aclDir folder of the governing permission file ({@code ""} = root), null when none governs
 *     (reasons OWNER, NO_ACL_FILE, LOAD_ERROR)
 * @param relativePath the path relative to {@code aclDir}, null when no file governs
 * @param pattern the deciding rule's pattern as written (reason RULE only, else null)
 * @param resolvedPattern the pattern after {@code {{.UserEmail}}} substitution (RULE only)
 * @param matcher how the pattern was compared (RULE only)
 * @param ruleIndex the deciding rule's 0-based position in file order (RULE only, else -1)
 * @param aclFileRequiresAdmin true when the path ends with {@code syft.pub.yaml}, so ADMIN was
 *     required whatever level was asked (RULE only)
 * @param grantedBy the entry that granted access, e.g. {@code "'*' in read"} (allowed by RULE only)
 * @param errors the load errors (LOAD_ERROR only, else empty)
 */
public record Decision(
    boolean allowed,
    Reason reason,
    String aclDir,
    String relativePath,
    String pattern,
    String resolvedPattern,
    MatcherKind matcher,
    int ruleIndex,
    boolean aclFileRequiresAdmin,
    String grantedBy,
    List<AclProblem> errors) {

  public Decision {
    errors = List.copyOf(errors);
  }

  /** The governing permission file's datasite-relative path, or null. */
  public String governingFile() {
    return aclDir == null ? null : AclFile.pathOf(aclDir);
  }

  /** One line for a person, e.g. {@code deny: no rule in team/syft.pub.yaml matches 'plan.txt'}. */
  public String toText() {
    String verdict = allowed ? "allow" : "deny";
    return switch (reason) {
      case OWNER -> verdict + ": the owner of a datasite may do everything";
      case NO_ACL_FILE -> verdict + ": no permission file governs this path";
      case NO_MATCHING_RULE -> verdict + ": no rule in " + governingFile() + " matches '" + relativePath + "'";
      case LOAD_ERROR -> verdict + ": permission files could not be loaded ("
          + (errors.isEmpty() ? "unknown error" : errors.get(0).toText()) + ")";
      case RULE -> verdict + ": rule '" + pattern + "' in " + governingFile()
          + (allowed && grantedBy != null ? " grants it via " + grantedBy : " does not grant it")
          + (aclFileRequiresAdmin ? " (a permission file needs admin)" : "");
    };
  }
}
