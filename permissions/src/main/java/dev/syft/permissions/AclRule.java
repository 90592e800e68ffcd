package dev.syft.permissions;

import java.util.Objects;

/**
 * One rule of a permission file: a glob {@code pattern}, relative to the file's folder, and who may
 * do what on the paths it matches.
 */
public record AclRule(String pattern, Access access) {

  /** The only template the reference supports inside a pattern. */
  public static final String USER_EMAIL_TEMPLATE = "{{.UserEmail}}";

  public AclRule {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(access, "access");
  }

  /** True when the pattern contains {@code {{.UserEmail}}}. */
  public boolean isTemplate() {
    return pattern.contains(USER_EMAIL_TEMPLATE);
  }

  public AclRule withAccess(Access newAccess) {
    return new AclRule(pattern, newAccess);
  }
}
