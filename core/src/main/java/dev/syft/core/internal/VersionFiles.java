package dev.syft.core.internal;

import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.PeerState;
import dev.syft.protocol.model.PeersFile;
import dev.syft.protocol.model.VersionInfo;
import dev.syft.protocol.version.CompatibilityStatus;
import dev.syft.protocol.version.VersionCompatibility;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control files Python peers read: our {@code SYFT_version.json} (reader-shared with each peer)
 * and {@code SYFT_peers.json}; and the check of each peer's version file.
 *
 * <p>Unlike the reference, a patch difference or an unknown version only warns (shown by {@code
 * status}); only an incompatible major.minor skips the peer, loudly, with the reason.
 */
final class VersionFiles {
  private static final Logger LOG = LoggerFactory.getLogger(VersionFiles.class);
  private static final long MAX_CONTROL_FILE = 1 << 20;

  private final SyncContext ctx;

  VersionFiles(SyncContext ctx) {
    this.ctx = ctx;
  }

  private byte[] own() {
    return VersionInfo.current(null, ctx.clock()).toJson();
  }

  /** Lets {@code peer} read our version file, writing (or refreshing) it first when needed. */
  void shareOwnWith(String peer) throws IOException {
    var layout = ctx.folders().layout();
    Optional<byte[]> existing = layout.readControlFile(VersionInfo.FILE_NAME, MAX_CONTROL_FILE);
    boolean stale = existing.isEmpty();
    if (!stale) {
      try {
        stale = !VersionInfo.parse(existing.get()).syftClientVersion().equals(VersionInfo.CLIENT_VERSION);
      } catch (SyftException | IllegalArgumentException e) {
        stale = true;
      }
    }
    if (stale) {
      layout.writeControlFile(VersionInfo.FILE_NAME, own());
    }
    layout.shareVersionFile(peer, this::own);
  }

  /** Rewrites {@code SYFT_peers.json} with the states the reference stores. */
  void writePeersFile(List<StateDb.PeerRow> peers) throws IOException {
    var layout = ctx.folders().layout();
    PeersFile file;
    try {
      file = layout.readControlFile(PeersFile.FILE_NAME, MAX_CONTROL_FILE).map(PeersFile::parse).orElse(PeersFile.empty());
    } catch (SyftException e) {
      LOG.warn("rewriting an unreadable {}: {}", PeersFile.FILE_NAME, e.getMessage());
      file = PeersFile.empty();
    }
    PeersFile updated = file;
    for (StateDb.PeerRow r : peers) {
      Optional<PeerState> s = PeerState.fromWireName(r.state());
      if (s.isPresent() && s.get() != PeerState.REQUESTED_BY_PEER) {
        updated = updated.withPeerState(r.email(), s.get(), updated.peer(r.email()).map(e -> e.publicEncryptionBundle()).orElse(null));
      }
    }
    if (!updated.equals(file) || layout.findControlFile(PeersFile.FILE_NAME).isEmpty()) {
      layout.writeControlFile(PeersFile.FILE_NAME, updated.render());
    }
  }

  /** Reads {@code peer}'s version file and records the version and the sync decision. */
  void check(StateDb.PeerRow r, double now) {
    String versionJson = null;
    try {
      Optional<byte[]> raw = ctx.folders().layout().readPeerVersionFile(r.email(), MAX_CONTROL_FILE);
      if (raw.isPresent()) {
        VersionInfo.parse(raw.get()); // validate before storing
        versionJson = new String(raw.get(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException | SyftException | IllegalArgumentException e) {
      LOG.warn("cannot read the version file of {}: {}", r.email(), e.getMessage());
    }
    PeerVersion v = describe(versionJson);
    String skip = v.status() == CompatibilityStatus.INCOMPATIBLE
        ? v.warning() + "; peers on another minor version cannot sync (upgrade one side)"
        : v.status() == CompatibilityStatus.PATCH_DIFF && ctx.home().config().skipPeerOnPatchDiff()
            ? v.warning() + " (sync.skip_peer_on_patch_version_diff is true in config.yaml)" : null;
    if (skip != null) {
      LOG.warn("skipping {}: {}", r.email(), skip);
    }
    ctx.db().upsertPeer(new StateDb.PeerRow(r.email(), r.state(), r.iRequested(), r.theyRequested(),
        versionJson, now, skip, r.lastSync()));
  }

  /** A peer's version as shown to the user. */
  record PeerVersion(String version, CompatibilityStatus status, String warning) {}

  static PeerVersion describe(String versionJson) {
    if (versionJson == null) {
      return new PeerVersion(null, CompatibilityStatus.UNKNOWN, "version unknown (no readable SYFT_version.json yet)");
    }
    try {
      String v = VersionInfo.parse(versionJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).syftClientVersion();
      VersionCompatibility c = VersionCompatibility.compare(VersionInfo.CLIENT_VERSION, v);
      String warning = switch (c.status()) {
        case SAME -> null;
        case PATCH_DIFF -> "client version " + v + " differs from ours (" + VersionInfo.CLIENT_VERSION + ") by patch only";
        case INCOMPATIBLE -> c.incompatibilityReason();
        case UNKNOWN -> "version unknown";
      };
      return new PeerVersion(v, c.status(), warning);
    } catch (SyftException | IllegalArgumentException e) {
      return new PeerVersion(null, CompatibilityStatus.UNKNOWN, "unreadable version file: " + e.getMessage());
    }
  }
}
