package dev.syft.core.internal;

import dev.syft.core.Home;
import dev.syft.core.internal.AccessPolicy.Level;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contacts, with the reference's folder-based request flow: a request is the pair of P2P folders the
 * requester creates in its own storage and shares with the other side; approval is the reverse pair.
 * States: {@code requested_by_me}, {@code requested_by_peer}, {@code accepted}, {@code rejected}.
 */
final class PeerManager {
  private static final Logger LOG = LoggerFactory.getLogger(PeerManager.class);
  /** Peer version files are re-read at most this often when nothing else prompts it. */
  static final double VERSION_REFRESH_SECONDS = 3600;

  static final String ACCEPTED = "accepted";
  static final String REQUESTED_BY_ME = "requested_by_me";
  static final String REQUESTED_BY_PEER = "requested_by_peer";
  static final String REJECTED = "rejected";

  private final SyncContext ctx;
  private final AccessPolicy policy;
  private final VersionFiles versions;

  PeerManager(SyncContext ctx, AccessPolicy policy, VersionFiles versions) {
    this.ctx = ctx;
    this.policy = policy;
    this.versions = versions;
  }

  List<StateDb.PeerRow> list() {
    return ctx.db().peers();
  }

  Optional<StateDb.PeerRow> get(String email) {
    return ctx.db().peer(email);
  }

  /** What {@link #add} did. */
  enum AddResult {
    REQUESTED,
    APPROVED,
    ALREADY
  }

  /** Asks {@code email} to connect (or approves them if they asked first). */
  AddResult add(String email) throws IOException {
    String peer = checkPeer(email);
    Optional<StateDb.PeerRow> row = get(peer);
    if (row.isPresent()) {
      String s = row.get().state();
      if (s.equals(ACCEPTED) || s.equals(REQUESTED_BY_ME)) {
        return AddResult.ALREADY;
      }
      if (s.equals(REQUESTED_BY_PEER)) {
        approve(peer);
        return AddResult.APPROVED;
      }
    }
    ctx.folders().ensurePairFor(peer);
    versions.shareOwnWith(peer);
    ctx.e2e().publishFor(peer);
    ctx.db().upsertPeer(new StateDb.PeerRow(peer, REQUESTED_BY_ME, true,
        row.map(StateDb.PeerRow::theyRequested).orElse(false), null, null, null, null));
    versions.writePeersFile(list());
    return AddResult.REQUESTED;
  }

  /** Approves a pending request from {@code email} (or a previously rejected one). */
  void approve(String email) throws IOException {
    String peer = checkPeer(email);
    Optional<StateDb.PeerRow> row = get(peer);
    if (row.isEmpty() || !(row.get().state().equals(REQUESTED_BY_PEER) || row.get().state().equals(REJECTED))) {
      refresh();
      row = get(peer);
    }
    if (row.isPresent() && row.get().state().equals(ACCEPTED)) {
      return;
    }
    if (row.isEmpty() || !(row.get().state().equals(REQUESTED_BY_PEER) || row.get().state().equals(REJECTED))) {
      throw new SyftException(ErrorCode.NO_REQUEST, "no pending request from " + peer
          + "; they must run 'syft peers add " + ctx.me() + "' first (see 'syft peers list')");
    }
    ctx.folders().ensurePairFor(peer);
    versions.shareOwnWith(peer);
    ctx.e2e().publishFor(peer);
    ctx.e2e().refresh(peer);
    setUpPeerFolders(peer);
    StateDb.PeerRow r = row.get();
    ctx.db().inTransaction(() -> {
      ctx.db().upsertPeer(new StateDb.PeerRow(peer, ACCEPTED, r.iRequested(), true, r.versionJson(), null, null, r.lastSync()));
      ctx.db().setMeta("backfill:" + peer, "1");
    });
    versions.writePeersFile(list());
  }

  /** Rejects a pending request. Nothing is sent; the peer's queued messages stay where they are. */
  void reject(String email) throws IOException {
    String peer = checkPeer(email);
    Optional<StateDb.PeerRow> row = get(peer);
    if (row.isEmpty() || !row.get().state().equals(REQUESTED_BY_PEER)) {
      throw new SyftException(ErrorCode.NO_REQUEST, "no pending request from " + peer + " to reject");
    }
    StateDb.PeerRow r = row.get();
    ctx.db().upsertPeer(new StateDb.PeerRow(peer, REJECTED, r.iRequested(), r.theyRequested(), r.versionJson(),
        r.versionCheckedAt(), r.skipReason(), r.lastSync()));
    versions.writePeersFile(list());
  }

  /**
   * Withdraws our request to {@code email} or drops them as a contact: our P2P folders for them are
   * deleted (messages still queued there with them), the access approval gave them is revoked, and the
   * row is forgotten. A request of theirs that is still in their storage shows up again at the next
   * refresh, to approve or reject. Returns the state the peer had.
   */
  String remove(String email) throws IOException {
    String peer = checkPeer(email);
    Optional<StateDb.PeerRow> row = get(peer);
    if (row.isEmpty()) {
      throw new SyftException("no-peer", "no contact or request for " + peer + " (see 'syft peers list')");
    }
    if (row.get().state().equals(REQUESTED_BY_PEER)) {
      // their request lives in their storage and would be found again at once
      throw new SyftException("their-request", peer + " asked to connect; 'syft peers reject " + peer
          + "' declines it");
    }
    ctx.folders().deletePairFor(peer);
    versions.unshareOwnWith(peer);
    if (row.get().state().equals(ACCEPTED)) {
      policy.revokeFolder("app_data/job/inbox/" + peer, peer, Level.READ);
      policy.revokeFolder("app_data/job/review/" + peer, peer, Level.READ);
      policy.revokeFolder(Notices.folderFor(peer), peer, Level.READ);
    }
    ctx.db().deletePeer(peer);
    versions.writePeersFile(list());
    return row.get().state();
  }

  /**
   * The reference's post-approval step: the peer may write its job inbox and read its review folder;
   * we also give it its notices folder.
   */
  private void setUpPeerFolders(String peer) {
    policy.grantFolder("app_data/job/inbox/" + peer, peer, Level.WRITE);
    policy.grantFolder("app_data/job/review/" + peer, peer, Level.READ);
    policy.grantFolder(Notices.folderFor(peer), peer, Level.READ);
  }

  /**
   * Learns about new requests and acceptances from the P2P folders others created for us (one storage
   * call), and re-reads peer version files when due.
   */
  void refresh() throws IOException {
    refresh(true);
  }

  /**
   * {@link #refresh()}, searching for peer folders only when {@code discover} (a round whose change
   * feed shows nothing new shared with us skips the search; the last discovery stays in effect).
   */
  void refresh(boolean discover) throws IOException {
    if (discover || !ctx.folders().discovered() || ctx.db().meta(StateDb.REBUILD).isPresent()) {
      discoverPeers();
    }
    periodicChecks();
  }

  private void discoverPeers() throws IOException {
    List<dev.syft.transport.layout.PeerFolder> found = ctx.folders().discover();
    if (ctx.db().meta(StateDb.REBUILD).isPresent()) {
      rebuild(found);
    }
    boolean changed = false;
    java.util.Set<String> requesters = new java.util.LinkedHashSet<>();
    for (dev.syft.transport.layout.PeerFolder d : found) {
      requesters.add(d.peer());
    }
    for (String peer : requesters) {
      Optional<StateDb.PeerRow> row = get(peer);
      if (row.isEmpty()) {
        ctx.db().upsertPeer(new StateDb.PeerRow(peer, REQUESTED_BY_PEER, false, true, null, null, null, null));
        LOG.info("{} asked to connect", peer);
        changed = true;
      } else if (row.get().state().equals(REQUESTED_BY_ME)) {
        StateDb.PeerRow r = row.get();
        ctx.db().upsertPeer(new StateDb.PeerRow(peer, ACCEPTED, true, true, r.versionJson(), null, null, r.lastSync()));
        LOG.info("{} accepted our request", peer);
        changed = true;
      } else if (!row.get().theyRequested()) {
        StateDb.PeerRow r = row.get();
        ctx.db().upsertPeer(new StateDb.PeerRow(peer, r.state(), r.iRequested(), true, r.versionJson(),
            r.versionCheckedAt(), r.skipReason(), r.lastSync()));
      }
    }
    if (changed) {
      versions.writePeersFile(list());
    }
  }

  private void periodicChecks() throws IOException {
    double now = ctx.now();
    List<StateDb.PeerRow> accepted = new ArrayList<>();
    for (StateDb.PeerRow r : list()) {
      if (r.state().equals(ACCEPTED)) {
        accepted.add(r);
      }
    }
    // an idle round may spend one call per peer on periodic checks (see ChangeHints)
    ctx.periodicBudget(Math.max(1, accepted.size()));
    // most overdue first; a peer never checked is checked at once, the others as the budget allows
    accepted.sort(java.util.Comparator.comparing((StateDb.PeerRow r) -> r.versionCheckedAt() == null ? 0.0 : r.versionCheckedAt()));
    for (StateDb.PeerRow r : accepted) {
      try {
        ctx.e2e().publishFor(r.email()); // no call once published with the current key
      } catch (IOException e) {
        LOG.warn("cannot publish our encryption bundle for {}, will retry: {}", r.email(), e.getMessage());
      }
      if (r.versionCheckedAt() == null) {
        ctx.spendPeriodic(1);
        versions.check(r, now);
        ctx.e2e().refresh(r.email()); // a new contact's key is pinned on first use
      } else if (now - r.versionCheckedAt() > VERSION_REFRESH_SECONDS && ctx.spendPeriodic(1)) {
        versions.check(r, now);
        if (ctx.db().peerKey(r.email()).isEmpty() || !ctx.e2e().readsStream(r.email())) {
          // a peer that may have turned encryption on since, or now reads the segmented suite
          ctx.e2e().refresh(r.email());
        }
      }
    }
  }

  /**
   * Restores peers after the state database was lost (deleted, or damaged and moved aside), from what
   * the transport still holds, so an approved peer is never downgraded to a request: {@code
   * SYFT_peers.json} gives accepted, rejected and requested states; a peer that asked us and for whom
   * our own folder pair exists was accepted (we create the pair when we ask or approve). Only ever
   * raises a state; runs once, on the first refresh of a new database.
   */
  private void rebuild(List<dev.syft.transport.layout.PeerFolder> found) throws IOException {
    java.util.Set<String> requesters = new java.util.LinkedHashSet<>();
    for (dev.syft.transport.layout.PeerFolder d : found) {
      requesters.add(d.peer());
    }
    java.util.Map<String, String> restored = new java.util.LinkedHashMap<>();
    var file = versions.readPeersFile();
    if (file.isPresent()) {
      for (var e : file.get().peers()) {
        String peer;
        try {
          peer = checkPeer(e.email());
        } catch (SyftException bad) {
          continue;
        }
        String state = switch (e.state()) {
          case ACCEPTED -> ACCEPTED;
          case REJECTED -> REJECTED;
          case REQUESTED_BY_ME -> requesters.contains(peer) ? ACCEPTED : REQUESTED_BY_ME;
          case REQUESTED_BY_PEER -> null;
        };
        if (state != null) {
          restored.put(peer, state);
        }
      }
    }
    for (String peer : requesters) {
      if (!restored.containsKey(peer) && ctx.folders().layout().findPeerDatasiteFolders(peer).isPresent()) {
        restored.put(peer, ACCEPTED);
      }
    }
    int raised = 0;
    for (var e : restored.entrySet()) {
      Optional<StateDb.PeerRow> row = get(e.getKey());
      if (row.isPresent() && (row.get().state().equals(ACCEPTED) || row.get().state().equals(e.getValue()))) {
        continue;
      }
      boolean asked = e.getValue().equals(REQUESTED_BY_ME) || e.getValue().equals(ACCEPTED);
      ctx.db().upsertPeer(new StateDb.PeerRow(e.getKey(), e.getValue(), asked, requesters.contains(e.getKey()),
          null, null, null, null));
      raised++;
    }
    if (raised > 0) {
      LOG.warn("local state was lost: restored {} peer(s) from {} and the transport folders", raised,
          dev.syft.protocol.model.PeersFile.FILE_NAME);
    }
    ctx.db().removeMeta(StateDb.REBUILD); // once: later changes follow the normal flow
  }

  /** Accepted peers we sync with, and why the others are skipped. */
  List<String> syncable() {
    List<String> out = new ArrayList<>();
    for (StateDb.PeerRow r : list()) {
      if (r.state().equals(ACCEPTED) && r.skipReason() == null) {
        out.add(r.email());
      }
    }
    return out;
  }

  private String checkPeer(String email) {
    String peer = Home.normalizeEmail(email);
    if (peer.equals(ctx.me())) {
      throw new SyftException(ErrorCode.INVALID_PEER, "you cannot add yourself (" + peer + ") as a peer");
    }
    return peer;
  }
}
