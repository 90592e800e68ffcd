package dev.syft.core.internal;

import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.PeerState;
import dev.syft.protocol.model.PeerVersionFile;
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
 *
 * <p>A peer whose version file has PySyft 0.10's additions ({@code version} "2", {@code
 * protocol_schemas}) is judged by protocol, not by client semver: it speaks protocol 1 and reads our
 * protocol 0 (PYSYFT-0.10.md), so it is synced with a warning naming its version; it is skipped
 * only when one of its protocol schemas says it no longer reads protocol 0.
 */
final class VersionFiles {
  private static final Logger LOG = LoggerFactory.getLogger(VersionFiles.class);
  private static final long MAX_CONTROL_FILE = 1 << 20;

  private final SyncContext ctx;

  VersionFiles(SyncContext ctx) {
    this.ctx = ctx;
  }

  /** Environment override of the advertised install source, the reference's variable. */
  static final String INSTALL_SOURCE_ENV = "SYFT_CLIENT_INSTALL_SOURCE";

  /**
   * What we advertise as {@code syft_client_install_source}: Python scientists put it into the
   * {@code run.sh} of jobs they send us and warn loudly when a data owner advertises none. Like the
   * reference: {@code $SYFT_CLIENT_INSTALL_SOURCE} when set, else the PyPI pin of the version we are
   * compatible with.
   */
  static String installSource() {
    String env = System.getenv(INSTALL_SOURCE_ENV);
    return env != null && !env.isBlank() ? env.trim() : "syft-client==" + VersionInfo.CLIENT_VERSION;
  }

  private byte[] own() {
    return VersionInfo.current(installSource(), ctx.clock()).toJson();
  }

  /** Lets {@code peer} read our version file, writing (or refreshing) it first when needed. */
  void shareOwnWith(String peer) throws IOException {
    var layout = ctx.folders().layout();
    Optional<byte[]> existing = layout.readControlFile(VersionInfo.FILE_NAME, MAX_CONTROL_FILE);
    boolean stale = existing.isEmpty();
    if (!stale) {
      try {
        VersionInfo v = VersionInfo.parse(existing.get());
        // an older syft-java advertised no install source: rewrite it
        stale = !v.syftClientVersion().equals(VersionInfo.CLIENT_VERSION)
            || !installSource().equals(v.syftClientInstallSource());
      } catch (SyftException | IllegalArgumentException e) {
        stale = true;
      }
    }
    if (stale) {
      layout.writeControlFile(VersionInfo.FILE_NAME, own());
    }
    layout.shareVersionFile(peer, this::own);
  }

  /** Stops sharing our version file with {@code peer} (a withdrawn request or a dropped contact). */
  void unshareOwnWith(String peer) throws IOException {
    var layout = ctx.folders().layout();
    var file = layout.findControlFile(VersionInfo.FILE_NAME);
    if (file.isPresent()) {
      layout.storage().unshare(file.get(), peer);
    }
  }

  /** Our {@code SYFT_peers.json}, if there is a readable one. */
  Optional<PeersFile> readPeersFile() throws IOException {
    try {
      return ctx.folders().layout().readControlFile(PeersFile.FILE_NAME, MAX_CONTROL_FILE).map(PeersFile::parse);
    } catch (SyftException e) {
      LOG.warn("unreadable {}: {}", PeersFile.FILE_NAME, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Rewrites {@code SYFT_peers.json} with the states the reference stores. An accepted peer is never
   * downgraded here: no transition leaves "accepted", so a lower state can only come from lost local
   * state (issue 14 item 7).
   */
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
      boolean downgrade = s.isPresent() && s.get() != PeerState.ACCEPTED
          && updated.peer(r.email()).map(e -> e.state() == PeerState.ACCEPTED).orElse(false);
      if (s.isPresent() && s.get() != PeerState.REQUESTED_BY_PEER && !downgrade) {
        updated = updated.withPeerState(r.email(), s.get(), updated.peer(r.email()).map(e -> e.publicEncryptionBundle()).orElse(null));
      }
    }
    if (!updated.equals(file) || layout.findControlFile(PeersFile.FILE_NAME).isEmpty()) {
      layout.writeControlFile(PeersFile.FILE_NAME, updated.render());
    }
  }

  /** Reads {@code peer}'s version file and records the version and the sync decision. */
  void check(StateDb.PeerRow r, double now) {
    String versionJson;
    try {
      versionJson = readPeerVersion(r);
    } catch (IOException e) {
      // keep what we knew (a transient error used to wipe the known version and lift a skip for an
      // hour); not marked checked, so the next round tries again
      LOG.warn("cannot read the version file of {}, will retry: {}", r.email(), e.getMessage());
      return;
    }
    PeerVersion v = describe(versionJson);
    String skip = v.newerProtocol() ? (v.status() == CompatibilityStatus.INCOMPATIBLE ? v.warning() : null)
        : v.status() == CompatibilityStatus.INCOMPATIBLE
        ? v.warning() + "; peers on another minor version cannot sync (upgrade one side)"
        : v.status() == CompatibilityStatus.PATCH_DIFF && ctx.home().config().skipPeerOnPatchDiff()
            ? v.warning() + " (sync.skip_peer_on_patch_version_diff is true in config.yaml)" : null;
    if (skip != null) {
      LOG.warn("skipping {}: {}", r.email(), skip);
    }
    ctx.db().upsertPeer(new StateDb.PeerRow(r.email(), r.state(), r.iRequested(), r.theyRequested(),
        versionJson, now, skip, r.lastSync()));
  }

  /**
   * The content of the peer's version file, or null when there is none (or it is unreadable). When
   * it is unchanged since the last read (same id, time and size), costs one {@code stat} and no
   * download, so the hourly re-check of P peers stays within the idle budget (CallBudgetTest).
   */
  private String readPeerVersion(StateDb.PeerRow r) throws IOException {
    String key = "version_file:" + r.email();
    Optional<String> known = ctx.db().meta(key);
    if (known.isPresent() && r.versionJson() != null) {
      String[] k = known.get().split("\t", 3);
      Optional<dev.syft.transport.Entry> e = k.length == 3 ? ctx.storage().stat(k[0]) : Optional.empty();
      if (e.isPresent() && String.valueOf(e.get().modified()).equals(k[1]) && Long.toString(e.get().size()).equals(k[2])) {
        return r.versionJson();
      }
    }
    Optional<dev.syft.transport.Entry> f = ctx.folders().layout().findPeerVersionFile(r.email());
    byte[] raw;
    try {
      raw = f.isPresent() ? ctx.storage().readAll(f.get(), MAX_CONTROL_FILE) : null;
    } catch (dev.syft.transport.StorageException e) {
      if (e.kind() != dev.syft.transport.StorageException.Kind.NOT_FOUND) {
        throw e;
      }
      raw = null; // unshared or deleted between the query and the download
    }
    if (raw == null) {
      ctx.db().removeMeta(key);
      return null;
    }
    try {
      PeerVersionFile.parse(raw); // validate before storing (a newer format is fine)
    } catch (SyftException | IllegalArgumentException e) {
      LOG.warn("unreadable version file of {}: {}", r.email(), e.getMessage());
      ctx.db().removeMeta(key);
      return null;
    }
    ctx.db().setMeta(key, f.get().id() + "\t" + f.get().modified() + "\t" + f.get().size());
    return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A peer's version as shown to the user.
   *
   * @param newerProtocol the peer's version file announces a protocol above ours (PySyft 0.10);
   *     then {@code status} is {@link CompatibilityStatus#INCOMPATIBLE} only when it no longer
   *     reads ours, whatever its semver
   */
  record PeerVersion(String version, CompatibilityStatus status, String warning, boolean newerProtocol) {
    PeerVersion(String version, CompatibilityStatus status, String warning) {
      this(version, status, warning, false);
    }
  }

  static PeerVersion describe(String versionJson) {
    if (versionJson == null) {
      return new PeerVersion(null, CompatibilityStatus.UNKNOWN, "version unknown (no readable SYFT_version.json yet)");
    }
    try {
      PeerVersionFile file = PeerVersionFile.parse(versionJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (file.isNewerFormat() && file.protocol() > PeerVersionFile.OUR_PROTOCOL) {
        return newer(file);
      }
      String v = file.info().syftClientVersion();
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

  private static PeerVersion newer(PeerVersionFile file) {
    String who = "peer speaks a newer protocol: " + file.describe();
    List<PeerVersionFile.ProtocolSchema> refusing = file.refusing(PeerVersionFile.OUR_PROTOCOL);
    if (!refusing.isEmpty()) {
      String names = String.join(", ", refusing.stream()
          .map(s -> s.protocolName() == null ? "(unnamed)" : s.protocolName()).toList());
      return new PeerVersion(file.clientVersion(), CompatibilityStatus.INCOMPATIBLE, who
          + "; its protocol schemas (" + names + ") no longer read protocol " + PeerVersionFile.OUR_PROTOCOL
          + ", which syft-java speaks (syft-client " + VersionInfo.CLIENT_VERSION + ")", true);
    }
    String note = file.info() == null ? " (its version file lacks the 0.1.117 fields: " + file.problem() + ")" : "";
    return new PeerVersion(file.clientVersion(), CompatibilityStatus.PATCH_DIFF, who
        + "; it reads ours (protocol " + PeerVersionFile.OUR_PROTOCOL + ", syft-client " + VersionInfo.CLIENT_VERSION
        + "), so we keep syncing" + note, true);
  }
}
