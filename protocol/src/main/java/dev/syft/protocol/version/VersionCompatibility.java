package dev.syft.protocol.version;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.internal.PyText;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Client-version comparison as the reference does it: on {@code syft_client_version} only, by its
 * first three dot-separated fields read with Python's {@code int()} (so {@code " 0.1.117"} and
 * {@code 0.1.117.post1} parse, {@code 0.1.117-beta} does not).
 *
 * @param status the comparison outcome
 * @param incompatibilityReason for {@link CompatibilityStatus#INCOMPATIBLE}, the reference's text
 * @param patchWarning for {@link CompatibilityStatus#PATCH_DIFF}, the reference's text
 */
public record VersionCompatibility(CompatibilityStatus status, String incompatibilityReason, String patchWarning) {

  public VersionCompatibility {
    Objects.requireNonNull(status, "status");
  }

  /**
   * Compares the local version with a peer's.
   *
   * @param peerVersion {@code null} when the peer's version is unknown
   * @throws MalformedMessageException if a version string is not {@code X.Y.Z}-shaped
   */
  public static VersionCompatibility compare(String localVersion, String peerVersion) {
    Objects.requireNonNull(localVersion, "localVersion");
    if (peerVersion == null) {
      return new VersionCompatibility(CompatibilityStatus.UNKNOWN, null, null);
    }
    if (localVersion.equals(peerVersion)) {
      return new VersionCompatibility(CompatibilityStatus.SAME, null, null);
    }
    BigInteger[] local = parseSemver(localVersion);
    BigInteger[] peer = parseSemver(peerVersion);
    if (local[0].equals(peer[0]) && local[1].equals(peer[1])) {
      return new VersionCompatibility(CompatibilityStatus.PATCH_DIFF, null,
          "Client version differs by patch only: local=" + localVersion + ", peer=" + peerVersion + " — proceeding");
    }
    return new VersionCompatibility(CompatibilityStatus.INCOMPATIBLE,
        "Client version mismatch (minor or major): local=" + localVersion + ", peer=" + peerVersion, null);
  }

  /** Same or patch-only difference; an unknown peer version counts as not compatible. */
  public boolean isCompatible() {
    return isCompatible(false);
  }

  /** Same or patch-only difference, or unknown when {@code unknownIsCompatible}. */
  public boolean isCompatible(boolean unknownIsCompatible) {
    return switch (status) {
      case SAME, PATCH_DIFF -> true;
      case INCOMPATIBLE -> false;
      case UNKNOWN -> unknownIsCompatible;
    };
  }

  /**
   * Major, minor and patch of a version string: at least three {@code .} fields, each an integer as
   * Python's {@code int()} reads it; further fields are ignored.
   *
   * @throws MalformedMessageException otherwise
   */
  public static BigInteger[] parseSemver(String version) {
    String[] parts = version.split("\\.", -1);
    if (parts.length < 3) {
      throw new MalformedMessageException("invalid version '" + version + "' (expected 'X.Y.Z')");
    }
    BigInteger[] out = new BigInteger[3];
    for (int i = 0; i < 3; i++) {
      String part = parts[i];
      out[i] = PyText.parseInt(part).orElseThrow(() -> new MalformedMessageException(
          "invalid version '" + version + "': '" + part + "' is not an integer"));
    }
    return out;
  }
}
