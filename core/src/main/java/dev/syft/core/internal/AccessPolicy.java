package dev.syft.core.internal;

/**
 * The permission questions the sync engine asks about its own datasite. Backed by the compiled
 * {@code syft.pub.yaml} tree of the permissions module; {@link #refresh()} picks up edited permission
 * files (the tree is not re-read per question).
 */
interface AccessPolicy {
  /** Levels of access, each implying the ones before it. */
  enum Level {
    READ,
    WRITE,
    ADMIN
  }

  boolean allowed(String user, String path, Level level);

  /** Why a write was refused, for rejection notices. */
  String explain(String user, String path, Level level);

  /** Re-reads known permission files that changed on disk since the last look. */
  void refresh();

  /** Tells the policy that the permission file at {@code aclPath} was created, edited or deleted. */
  void changed(String aclPath);

  /** Grants {@code user} {@code level} on everything under {@code folder} (a datasite-relative folder). */
  void grantFolder(String folder, String user, Level level);

  /** Takes {@code level} (and the levels above it) on {@code folder} away from {@code user}. */
  void revokeFolder(String folder, String user, Level level);

  /** True for a permission file path. */
  static boolean isAclFile(String path) {
    return path.equals("syft.pub.yaml") || path.endsWith("/syft.pub.yaml");
  }
}
