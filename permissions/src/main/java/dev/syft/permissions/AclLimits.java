package dev.syft.permissions;

/**
 * Bounds applied when loading permission files; a file beyond them is a load error (the tree fails
 * closed). The reference has no limits; these are far above any real datasite.
 *
 * @param maxFileBytes largest accepted {@code syft.pub.yaml}
 * @param maxRulesPerFile most rules in one file
 * @param maxEntriesPerList most principals in one {@code admin}, {@code write} or {@code read} list
 * @param maxPatternLength longest pattern, in characters
 * @param maxFiles most permission files in one datasite
 */
public record AclLimits(
    long maxFileBytes, int maxRulesPerFile, int maxEntriesPerList, int maxPatternLength, int maxFiles) {

  /** 1 MiB per file, 10,000 rules, 10,000 entries per list, 4,096-character patterns, 100,000 files. */
  public static AclLimits defaults() {
    return new AclLimits(1024 * 1024, 10_000, 10_000, 4096, 100_000);
  }

  public AclLimits {
    if (maxFileBytes <= 0 || maxRulesPerFile <= 0 || maxEntriesPerList <= 0 || maxPatternLength <= 0
        || maxFiles <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
