package dev.syft.permissions;

import java.util.List;

/**
 * Why a user has (or lacks) access to a path: the decision for the requested level, the three
 * levels at a glance, and notes in plain words (dot files, the admin rule for permission files,
 * case mismatches, terminal files, load errors).
 *
 * @param path the normalised path that was evaluated (a folder is evaluated as
 *     {@code <folder>/__any__}, as the reference does)
 * @param user the normalised requester
 * @param level the requested level
 * @param folder true when {@code path} was a folder
 * @param decision the decision for {@code level} (reason, governing file, rule)
 * @param read decision for READ
 * @param write decision for WRITE
 * @param admin decision for ADMIN
 * @param notes extra explanations, each one sentence
 */
public record Explanation(
    String path,
    String user,
    Level level,
    boolean folder,
    Decision decision,
    boolean read,
    boolean write,
    boolean admin,
    List<String> notes) {

  public Explanation {
    notes = List.copyOf(notes);
  }

  public boolean allowed() {
    return decision.allowed();
  }

  public Reason reason() {
    return decision.reason();
  }

  /** Several lines: verdict, levels, governing file and rule, notes. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(decision.allowed() ? "ALLOW" : "DENY").append(' ').append(level).append(" for ").append(user)
        .append(" on '").append(path).append("'\n");
    sb.append("  reason: ").append(decision.reason().code()).append(" - ").append(decision.toText()).append('\n');
    sb.append("  read: ").append(read ? "yes" : "no").append(", write: ").append(write ? "yes" : "no")
        .append(", admin: ").append(admin ? "yes" : "no").append('\n');
    if (decision.governingFile() != null) {
      sb.append("  governing file: ").append(decision.governingFile()).append('\n');
    }
    if (decision.pattern() != null) {
      sb.append("  matched rule: '").append(decision.pattern()).append('\'');
      if (!decision.pattern().equals(decision.resolvedPattern())) {
        sb.append(" (as '").append(decision.resolvedPattern()).append("')");
      }
      sb.append(", rule ").append(decision.ruleIndex() + 1).append(" in the file\n");
    }
    for (String n : notes) {
      sb.append("  note: ").append(n).append('\n');
    }
    return sb.toString();
  }
}
