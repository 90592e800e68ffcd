package dev.syft.protocol.model;

import dev.syft.protocol.internal.JsonIn;
import dev.syft.protocol.internal.JsonOut;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The DO-side peers file {@code SYFT_peers.json}: {@code {"<email>": {"state": "...",
 * "public_encryption_bundle": {...}?}, ...}} (PROTOCOL.md 6.6). Immutable; updates return a copy.
 *
 * <p>Like the reference: entries keep insertion order (updating a peer keeps its position), an
 * update preserves the other keys of the entry, a {@code null} bundle leaves the stored one alone,
 * unknown or missing states are skipped when listing, and the file is written as Python's
 * {@code json.dumps(indent=2)} (non-ASCII as {@code \\uXXXX}, no trailing newline).
 *
 * <p>PySyft 0.10 reserves the key {@value #META_KEY} ({@code {"version": 1}}) beside the e-mails: it
 * is never a peer, cannot be set as one, and is kept as is (value and position) when we rewrite
 * the file, so a 0.10 client sharing the account still finds it.
 */
public final class PeersFile {
  public static final String FILE_NAME = "SYFT_peers.json";
  /** The reserved key of PySyft 0.10's peers file; not a peer. */
  public static final String META_KEY = "_meta";
  private static final String STATE = "state";
  private static final String BUNDLE = "public_encryption_bundle";

  private final ObjectNode root;

  private PeersFile(ObjectNode root) {
    this.root = root;
  }

  /** A file without peers. */
  public static PeersFile empty() {
    return new PeersFile(JsonOut.object());
  }

  /**
   * Parses the file; every key is kept (also entries this reader cannot interpret) so that a later
   * {@link #render()} loses nothing.
   *
   * @throws dev.syft.protocol.MalformedMessageException if the bytes are not a JSON object
   */
  public static PeersFile parse(byte[] json) {
    return new PeersFile(JsonIn.parseObject(json, "peers file"));
  }

  /** The peers with a known state, in file order. */
  public List<PeerEntry> peers() {
    List<PeerEntry> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      entry(e.getKey(), e.getValue()).ifPresent(out::add);
    }
    return out;
  }

  /** The peer with this e-mail, if present with a known state. */
  public Optional<PeerEntry> peer(String email) {
    JsonNode value = root.get(email);
    return value == null ? Optional.empty() : entry(email, value);
  }

  /**
   * Sets a peer's state (appending a new peer at the end), keeping the entry's other keys; a
   * non-null {@code bundle} replaces the stored bundle.
   */
  public PeersFile withPeerState(String email, PeerState state, JsonNode bundle) {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(state, "state");
    if (email.equals(META_KEY)) {
      throw new IllegalArgumentException("'" + META_KEY + "' is a reserved key of the peers file, not a peer");
    }
    ObjectNode copy = root.deepCopy();
    JsonNode existing = copy.get(email);
    ObjectNode entry = existing != null && existing.isObject() ? (ObjectNode) existing : JsonOut.object();
    entry.put(STATE, state.wireName());
    if (bundle != null && !bundle.isNull()) {
      entry.set(BUNDLE, bundle.deepCopy());
    }
    copy.set(email, entry);
    return new PeersFile(copy);
  }

  /** A copy of the reserved {@value #META_KEY} value (PySyft 0.10), or {@code null} when absent. */
  public JsonNode meta() {
    JsonNode v = root.get(META_KEY);
    return v == null ? null : v.deepCopy();
  }

  /** The file bytes exactly as the reference writes them. */
  public byte[] render() {
    return JsonOut.render(root, JsonOut.Style.PYTHON_INDENT2_ASCII);
  }

  private static Optional<PeerEntry> entry(String email, JsonNode value) {
    if (email.equals(META_KEY) || !value.isObject() || value.get(STATE) == null || !value.get(STATE).isString()) {
      return Optional.empty();
    }
    return PeerState.fromWireName(value.get(STATE).stringValue())
        .map(state -> new PeerEntry(email, state, value.get(BUNDLE)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeersFile other && root.equals(other.root);
  }

  @Override
  public int hashCode() {
    return root.hashCode();
  }
}
