package dev.syft.protocol.version;

import java.util.Objects;

/**
 * The peer-compatibility decision of PROTOCOL.md 6.8: from a {@link VersionCompatibility}, the
 * action and the configuration flags, whether a peer is skipped and with which message.
 *
 * @param skipPeerOnPatchVersionDiff skip peers whose patch version differs (reference default:
 *     true with the DO role, false for DS-only clients; see {@link #forRoles})
 * @param forceIgnorePeerVersion configuration flag: proceed despite any version problem
 */
public record PeerVersionPolicy(boolean skipPeerOnPatchVersionDiff, boolean forceIgnorePeerVersion) {

  /** The actions a version check guards; the name appears in messages. */
  public enum Action {
    SYNC("sync"),
    SUBMIT("submit"),
    EXECUTE("execute");

    private final String wireName;

    Action(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private static final String UNKNOWN_TEXT =
      "version information not available (if you are unsure if it is up to date, call client.sync())";

  /** The reference defaults: patch differences are skipped when the client has the DO role. */
  public static PeerVersionPolicy forRoles(boolean hasDoRole, boolean forceIgnorePeerVersion) {
    return new PeerVersionPolicy(hasDoRole, forceIgnorePeerVersion);
  }

  /**
   * Decides for one peer.
   *
   * @param ignorePeerVersion the per-call override (e.g. {@code sync(ignore_peer_version=True)})
   */
  public SkipDecision decide(String peerEmail, VersionCompatibility compatibility, Action action, boolean ignorePeerVersion) {
    Objects.requireNonNull(peerEmail, "peerEmail");
    Objects.requireNonNull(action, "action");
    boolean ignore = forceIgnorePeerVersion || ignorePeerVersion;
    String problem = switch (compatibility.status()) {
      case SAME -> null;
      case PATCH_DIFF -> compatibility.patchWarning();
      case INCOMPATIBLE -> compatibility.incompatibilityReason();
      case UNKNOWN -> UNKNOWN_TEXT;
    };
    if (problem == null) {
      return new SkipDecision(false, null);
    }
    if (compatibility.status() == CompatibilityStatus.PATCH_DIFF && !skipPeerOnPatchVersionDiff) {
      return new SkipDecision(false, "Peer " + peerEmail + ": " + problem);
    }
    if (ignore) {
      return new SkipDecision(false,
          "Proceeding anyway to " + action.wireName() + " for peer " + peerEmail + ": " + problem + ".");
    }
    return new SkipDecision(true, "Skipping peer " + peerEmail + ": " + problem + ".");
  }
}
