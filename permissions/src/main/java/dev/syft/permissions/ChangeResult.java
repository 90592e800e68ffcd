package dev.syft.permissions;

import java.util.List;

/**
 * What a {@link Datasite#grant} or {@link Datasite#revoke} did.
 *
 * @param target the datasite-relative target; folders end with {@code /} ({@code ""} = root)
 * @param user the normalised principal
 * @param level the level granted or revoked
 * @param changed false when the files already said so (nothing written)
 * @param files permission files written (datasite-relative), in order
 * @param pattern the rule pattern dedicated to the target, or null when none was used
 * @param carried principals copied into a new rule from the rule it took over from
 * @param warnings things the user should know (access of others affected, more specific rules
 *     that still decide, access that remains through other files)
 */
public record ChangeResult(
    String target,
    String user,
    Level level,
    boolean changed,
    List<String> files,
    String pattern,
    List<String> carried,
    List<String> warnings) {

  public ChangeResult {
    files = List.copyOf(files);
    carried = List.copyOf(carried);
    warnings = List.copyOf(warnings);
  }

  /** A short summary line. */
  public String toText() {
    if (!changed) {
      return "no change for " + user + " (" + level + ") on '" + target + "'";
    }
    return "updated " + String.join(", ", files) + (pattern == null ? "" : " (rule '" + pattern + "')")
        + (carried.isEmpty() ? "" : "; kept " + String.join(", ", carried) + " from the broader rule");
  }
}
