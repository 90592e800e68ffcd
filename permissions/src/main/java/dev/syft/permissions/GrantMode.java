package dev.syft.permissions;

/** How {@link Datasite#grant} treats access that others had through a broader rule. */
public enum GrantMode {
  /**
   * Default. A new, more specific rule starts with the principals of the rule it takes over from,
   * so nobody else loses access; when that cannot be done exactly (several broader rules with
   * different lists apply inside a folder) the grant is refused with an explanation.
   */
  CARRY_INHERITED,
  /**
   * Exactly what the reference ({@code syft-perms}) writes: the new rule lists only the granted
   * user, so access others had through a broader rule on that path is lost (reported as a warning).
   */
  REFERENCE
}
