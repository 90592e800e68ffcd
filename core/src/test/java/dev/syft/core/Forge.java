package dev.syft.core;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.model.WireJson;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.BoxType;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Builds raw wire messages the way a hostile or buggy peer could, including ones our own models
 * refuse to construct (unsafe paths are spliced into valid JSON), and uploads them with that peer's
 * store into the folder the protocol puts them in.
 */
final class Forge {
  static final String PLACEHOLDER = "placeholder/forged-path.txt";
  private static final ArchiveCodec CODEC = new ArchiveCodec();

  private Forge() {}

  /** A one-file proposal from {@code claimedSender} for {@code datasite}. */
  static ProposedFileChangesMessage proposal(String claimedSender, String datasite, String path, String content,
      String oldHash, double ts) {
    ProposedFileChange c = ProposedFileChange.of(path, FileContent.text(content), datasite, oldHash, ts);
    return new ProposedFileChangesMessage(UUID.randomUUID(), claimedSender, ts, UUID.randomUUID().toString(), List.of(c));
  }

  /** The same message (same id, same changes) under a new file name: a replay. */
  static ProposedFileChangesMessage renamed(ProposedFileChangesMessage m, double ts) {
    return new ProposedFileChangesMessage(m.id(), m.senderEmail(), ts, UUID.randomUUID().toString(), m.changes());
  }

  /** A one-event message about {@code datasite}. */
  static FileChangeEventsMessage events(String datasite, String path, String content, double ts) {
    FileChangeEvent e = FileChangeEvent.change(path, datasite, FileContent.text(content), null, ts);
    return new FileChangeEventsMessage(List.of(e), UUID.randomUUID(), ts);
  }

  static byte[] archive(Object payload) {
    return CODEC.encode((dev.syft.protocol.model.WirePayload) payload);
  }

  /**
   * The archive of {@code payload} whose path was {@link #PLACEHOLDER}, with {@code hostilePath}
   * spliced into the JSON (escaped as JSON, so backslashes and slashes arrive verbatim).
   */
  static byte[] withPath(dev.syft.protocol.model.WirePayload payload, String hostilePath) {
    String json = new String(WireJson.write(payload), StandardCharsets.UTF_8);
    if (!json.contains(PLACEHOLDER)) {
      throw new IllegalArgumentException("payload does not use the placeholder path");
    }
    String escaped = hostilePath.replace("\\", "\\\\").replace("\"", "\\\"");
    return CODEC.encodeMember(json.replace(PLACEHOLDER, escaped).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code sender}'s inbox folder for {@code owner}'s datasite (the sender owns it). */
  static Entry inboxAt(Storage senderStore, String owner) throws IOException {
    return new SyftLayout(senderStore).findPeerDatasiteFolder(owner, BoxType.INBOX).orElseThrow();
  }

  /** The outbox folder {@code reader} created for {@code owner}'s events (the reader owns it, the owner writes it). */
  static Entry outboxOf(Storage ownerStore, String reader) throws IOException {
    return new SyftLayout(ownerStore).findOwnDatasiteFolder(reader, BoxType.OUTBOX).orElseThrow();
  }

  static Entry upload(Storage store, Entry folder, String name, byte[] bytes) throws IOException {
    return store.write(folder, name, bytes, WriteMode.CREATE);
  }

  /**
   * The archive in {@code raw}: an SYC2 envelope the client of {@code senderHome} sealed (it is always
   * one of its recipients) is opened with that client's keys; plaintext is returned as is.
   */
  static byte[] plain(byte[] raw, java.nio.file.Path senderHome) throws IOException {
    if (!dev.syft.crypto.Envelope.looksLikeEnvelope(raw)) {
      return raw;
    }
    try {
      dev.syft.crypto.Identity me = dev.syft.crypto.PrivateKeyFile.read(
          dev.syft.crypto.PrivateKeyFile.in(senderHome)).orElseThrow();
      return dev.syft.crypto.Envelope.open(raw, me, me.bundle());
    } catch (dev.syft.crypto.CryptoException x) {
      throw new IOException(x.describe(), x);
    }
  }

  /**
   * {@code archive} sealed as the client of {@code senderHome} seals to the client of {@code
   * recipientHome} (once both keys are pinned, a peer's message in the clear is refused as a downgrade).
   */
  static byte[] sealed(byte[] archive, java.nio.file.Path senderHome, java.nio.file.Path recipientHome)
      throws IOException {
    try {
      dev.syft.crypto.Identity from = dev.syft.crypto.PrivateKeyFile.read(
          dev.syft.crypto.PrivateKeyFile.in(senderHome)).orElseThrow();
      dev.syft.crypto.Identity to = dev.syft.crypto.PrivateKeyFile.read(
          dev.syft.crypto.PrivateKeyFile.in(recipientHome)).orElseThrow();
      return dev.syft.crypto.Envelope.seal(from, List.of(to.bundle(), from.bundle()), archive,
          dev.syft.crypto.SealOptions.defaults());
    } catch (dev.syft.crypto.CryptoException x) {
      throw new IOException(x.describe(), x);
    }
  }

  /** Decoded events messages in a folder, in name order (unreadable files skipped). */
  static List<FileChangeEventsMessage> eventsIn(Storage store, Entry folder) throws IOException {
    return eventsIn(store, folder, null);
  }

  /**
   * As {@link #eventsIn(Storage, Entry)} for the folder's owner living in {@code ownerHome}: SYC2
   * envelopes the owner sealed (to a reader and to itself) are opened with its own keys.
   */
  static List<FileChangeEventsMessage> eventsIn(Storage store, Entry folder, java.nio.file.Path ownerHome)
      throws IOException {
    List<FileChangeEventsMessage> out = new java.util.ArrayList<>();
    for (Entry e : store.listAll(folder)) {
      if (!e.folder() && e.name().startsWith("syfteventsmessagev3_")) {
        byte[] raw = store.readAll(e, 1 << 26);
        out.add(CODEC.decodeEvents(ownerHome == null ? raw : plain(raw, ownerHome)));
      }
    }
    return out;
  }
}
