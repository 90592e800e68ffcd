package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.crypto.Envelope;
import dev.syft.crypto.EnvelopeInfo;
import dev.syft.crypto.Identity;
import dev.syft.crypto.PeerBundle;
import dev.syft.crypto.Suite;
import dev.syft.transport.layout.FolderNames;
import dev.syft.crypto.PrivateKeyFile;
import dev.syft.crypto.RandomSource;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end encryption between two fresh syft-java homes on the shared-folder transport: keys are
 * published and pinned when they pair, every proposal and outbox message is an SYC2 envelope, and a
 * tampered envelope or a replaced key is quarantined with nothing applied until the user trusts the
 * new key.
 */
class EncryptedSyncTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @TempDir Path tmp;

  static Peer peer(Cluster c, String who, String email) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow();
  }

  static Identity keys(Cluster c, String email) throws Exception {
    return PrivateKeyFile.read(PrivateKeyFile.in(c.homeDir(email))).orElseThrow();
  }

  /** Every message file (proposal or events) in a P2P inbox/outbox or a proposal archive of the shared folder. */
  static List<Path> p2pMessages(Path root) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        String parent = p.getParent().getFileName().toString();
        boolean message = name.startsWith("msgv2_") || name.startsWith("syfteventsmessagev3_");
        if (message && (parent.contains("#inbox#") || parent.contains("#outbox#") || parent.endsWith("_archive"))) {
          out.add(p);
        }
      }
    }
    return out;
  }

  @Test
  void pairedHomesExchangeOnlyEnvelopesAndRefuseTamperingAndReplacedKeys() throws Exception {
    try (Net net = Net.create(Transport.LOCAL, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      Cluster.write(c.datasite(DO), "public/hello.txt", "from the owner");
      c.client(DO).sync();
      c.client(DS).sync();

      // pinned on first use, shown with the short form, and encrypted both ways
      Peer dsAtDo = peer(c, DO, DS);
      assertThat(dsAtDo.fingerprint()).isEqualTo(keys(c, DS).fingerprint().shortForm());
      assertThat(dsAtDo.encrypted()).isTrue();
      assertThat(peer(c, DS, DO).fingerprint()).isEqualTo(keys(c, DO).fingerprint().shortForm());
      assertThat(peer(c, DS, DO).encrypted()).isTrue();
      assertThat(c.homeDir(DO).resolve(".syft/crypto_keys.json")).exists();

      // both directions still apply
      assertThat(Cluster.read(c.replica(DS, DO), "public/hello.txt")).isEqualTo("from the owner");
      Cluster.write(c.replica(DS, DO), "proposed.txt", "v1");
      c.client(DS).sync();
      assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
      assertThat(Cluster.read(c.datasite(DO), "proposed.txt")).isEqualTo("v1");
      c.client(DS).sync();

      List<Path> messages = p2pMessages(net.root);
      assertThat(messages).isNotEmpty();
      assertThat(messages.stream().map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("msgv2_")).anyMatch(n -> n.startsWith("syfteventsmessagev3_"));
      for (Path m : messages) {
        assertThat(Envelope.looksLikeEnvelope(Files.readAllBytes(m))).as("%s is an envelope", m).isTrue();
      }

      // a tampered envelope: quarantined with the failing step, nothing applied, the round goes on
      Storage dsStore = net.raw(DS);
      Entry inbox = Forge.inboxAt(dsStore, DO);
      Cluster.write(c.replica(DS, DO), "proposed.txt", "v2");
      c.client(DS).sync();
      Entry sent = dsStore.listAll(inbox).stream().filter(e -> e.name().startsWith("msgv2_")).findFirst().orElseThrow();
      byte[] env = dsStore.readAll(sent, 1 << 24);
      env[env.length - 1] ^= 1;
      dsStore.write(inbox, sent.name(), env, WriteMode.REPLACE);
      SyncReport tampered = c.client(DO).sync();
      assertThat(tampered.accepted()).isZero();
      assertThat(tampered.rejected()).isEqualTo(1);
      assertThat(Cluster.read(c.datasite(DO), "proposed.txt")).isEqualTo("v1");
      assertThat(c.client(DO).status().quarantined()).singleElement()
          .satisfies(q -> assertThat(q.reason()).contains("encrypted message refused"));

      // a replaced key: refused (quarantined, status says so, traffic held) until trusted
      c.close(DS);
      Identity replaced = Identity.generate(DS, RandomSource.secure());
      PrivateKeyFile.write(PrivateKeyFile.in(c.homeDir(DS)), replaced, true);
      Cluster.write(c.replica(DS, DO), "proposed.txt", "v3");
      c.client(DS).sync(); // republishes the bundle, proposes sealed with the new key
      SyncReport refused = c.client(DO).sync();
      assertThat(refused.accepted()).isZero();
      assertThat(Cluster.read(c.datasite(DO), "proposed.txt")).isEqualTo("v1");
      Status status = c.client(DO).status();
      assertThat(status.quarantined()).hasSize(2);
      assertThat(status.warnings()).anySatisfy(w -> assertThat(w)
          .contains("encryption key of " + DS + " changed").contains(replaced.fingerprint().shortForm()));
      Peer held = peer(c, DO, DS);
      assertThat(held.encrypted()).isFalse();
      assertThat(held.keyProblem()).contains("changed");

      assertThatThrownBy(() -> c.client(DO).peers().trust(DS, keys(c, DO).fingerprint().shortForm()))
          .isInstanceOf(SyftException.class).hasMessageContaining("does not match");
      assertThat(c.client(DO).peers().trust(DS, replaced.fingerprint().hex()))
          .isEqualTo(replaced.fingerprint().shortForm());
      assertThat(c.client(DO).status().warnings()).isEmpty();
      assertThat(peer(c, DO, DS).encrypted()).isTrue();

      c.client(DO).sync(); // the held messages (the refusal notice of v3) go out
      c.client(DS).sync(); // v3 rolls back to the owner's v1
      Cluster.write(c.replica(DS, DO), "proposed.txt", "v4");
      c.client(DS).sync();
      assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
      assertThat(Cluster.read(c.datasite(DO), "proposed.txt")).isEqualTo("v4");
      c.client(DS).sync();
      assertThat(Cluster.read(c.replica(DS, DO), "proposed.txt")).isEqualTo("v4");
    }
  }

  static Path find(Path root, String name) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }

  /** The biggest message file whose name starts with {@code prefix}: the one holding the big file. */
  static byte[] biggest(Path root, String prefix) throws Exception {
    Path best = null;
    for (Path m : p2pMessages(root)) {
      if (m.getFileName().toString().startsWith(prefix) && (best == null || Files.size(m) > Files.size(best))) {
        best = m;
      }
    }
    return Files.readAllBytes(best);
  }

  static byte[] noise(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A big message (journalled as a file) goes in the segmented suite only to a peer whose bundle
   * declares it; a peer that publishes the reference's bundle file (a Python peer) gets the single-shot
   * suite every 0.1.2b2 reader opens, and a message above the single-shot cap waits with a clear error.
   */
  @Test
  void bigMessagesAreSegmentedOnlyForPeersThatDeclareTheSuite() throws Exception {
    try (Net net = Net.create(Transport.LOCAL, tmp)) {
      Cluster c = net.cluster;
      c.client(DS).peers().add(DO);
      // DS publishes its key as syft-client does: no readable_suites beside public_encryption_bundle
      Path dsBundle = find(net.root, FolderNames.encryptionBundleFile(DS, DO));
      assertThat(PeerBundle.readableSuites(Files.readString(dsBundle))).contains(Suite.STREAM);
      Files.writeString(dsBundle, keys(c, DS).bundle().bundleFileJson());
      c.client(DO).sync();
      c.client(DO).peers().approve(DS);
      c.client(DS).sync();
      c.client(DO).sync();
      assertThat(PeerBundle.readableSuites(Files.readString(find(net.root, FolderNames.encryptionBundleFile(DO, DS)))))
          .containsExactlyInAnyOrder(Suite.SINGLE, Suite.STREAM);
      assertThat(peer(c, DO, DS).encrypted()).isTrue();

      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      byte[] big = noise((1 << 20) + 400_000, 1);
      Files.createDirectories(c.datasite(DO).resolve("public"));
      Files.write(c.datasite(DO).resolve("public/big.bin"), big);
      c.client(DO).sync();
      byte[] toPython = biggest(net.root, "syfteventsmessagev3_");
      EnvelopeInfo info = Envelope.inspect(toPython);
      assertThat(info.suite()).isEqualTo(Suite.SINGLE.wireName());
      assertThat(info.segmentCount()).isEqualTo(1);
      assertThat(info.ciphertextLength()).isGreaterThan(big.length);
      byte[] archive = Envelope.open(toPython, keys(c, DS), keys(c, DO).bundle());
      assertThat(archive[0] & 0xff).isEqualTo(0x1f); // the events archive, gzip
      assertThat(archive[1] & 0xff).isEqualTo(0x8b);
      c.client(DS).sync();
      assertThat(Files.readAllBytes(c.replica(DS, DO).resolve("public/big.bin"))).isEqualTo(big);

      // the other way, to a syft-java owner that declares the segmented suite
      byte[] proposed = noise((1 << 20) + 400_000, 2);
      Files.write(c.replica(DS, DO).resolve("public/proposed.bin"), proposed);
      c.client(DS).sync();
      EnvelopeInfo streamed = Envelope.inspect(biggest(net.root, "msgv2_"));
      assertThat(streamed.suite()).isEqualTo(Suite.STREAM.wireName());
      assertThat(streamed.segmentCount()).isGreaterThan(1);
      assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
      assertThat(Files.readAllBytes(c.datasite(DO).resolve("public/proposed.bin"))).isEqualTo(proposed);

      // above the single-shot cap: the message stays journalled with a clear error, then goes
      System.setProperty("syft.e2e.maxSingleShotBytes", Integer.toString(1 << 20));
      try {
        Files.write(c.datasite(DO).resolve("public/big2.bin"), noise((1 << 20) + 400_000, 3));
        c.client(DO).sync();
        assertThat(c.client(DO).status().failingUploads()).singleElement().satisfies(f -> assertThat(f.lastError())
            .contains("above the 1048576-byte limit for " + DS).contains("does not declare the segmented suite"));
      } finally {
        System.clearProperty("syft.e2e.maxSingleShotBytes");
      }
      c.client(DO).sync();
      assertThat(c.client(DO).status().failingUploads()).isEmpty();
      c.client(DS).sync();
      assertThat(Files.readAllBytes(c.replica(DS, DO).resolve("public/big2.bin"))).isEqualTo(noise((1 << 20) + 400_000, 3));
    }
  }

  /**
   * Once a peer's envelopes have opened, a message in the clear from it (forged by someone who can
   * write the folder, or a downgrade) is quarantined with the reason, both ways, and nothing applies.
   */
  @Test
  void plaintextFromAPeerThatEncryptsIsQuarantined() throws Exception {
    try (Net net = Net.create(Transport.LOCAL, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      Cluster.write(c.datasite(DO), "public/hello.txt", "sealed");
      c.client(DO).sync();
      c.client(DS).sync();
      Cluster.write(c.replica(DS, DO), "proposed.txt", "sealed too");
      c.client(DS).sync();
      assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
      c.client(DS).sync();

      // a proposal in the clear in DS's inbox at DO
      Storage dsStore = net.raw(DS);
      double ts = c.clock.instant().getEpochSecond() + 10;
      var forged = Forge.proposal(DS, DO, "proposed.txt", "in the clear", null, ts);
      Forge.upload(dsStore, Forge.inboxAt(dsStore, DO), forged.fileName(), Forge.archive(forged));
      SyncReport owner = c.client(DO).sync();
      assertThat(owner.accepted()).isZero();
      assertThat(owner.rejected()).isEqualTo(1);
      assertThat(Cluster.read(c.datasite(DO), "proposed.txt")).isEqualTo("sealed too");
      assertThat(c.client(DO).status().quarantined()).singleElement().satisfies(q -> assertThat(q.reason())
          .contains("plaintext message refused").contains(DS + " has sent us end-to-end encrypted messages"));

      // events in the clear in DO's outbox for DS
      Storage doStore = net.raw(DO);
      var events = Forge.events(DO, "public/hello.txt", "in the clear", ts + 1);
      Forge.upload(doStore, Forge.outboxOf(doStore, DS), events.fileName(), Forge.archive(events));
      c.client(DS).sync();
      assertThat(Cluster.read(c.replica(DS, DO), "public/hello.txt")).isEqualTo("sealed");
      assertThat(c.client(DS).status().quarantined()).anySatisfy(q -> assertThat(q.reason())
          .contains("plaintext message refused").contains(DO + " has sent us end-to-end encrypted messages"));

      // sealed traffic still flows
      Cluster.write(c.datasite(DO), "public/hello.txt", "sealed again");
      c.client(DO).sync();
      c.client(DS).sync();
      assertThat(Cluster.read(c.replica(DS, DO), "public/hello.txt")).isEqualTo("sealed again");
    }
  }

  /**
   * A peer whose key bundle cannot be read (here: malformed) while it seals to us: its messages wait,
   * are retried every round, {@code status} says why, and they apply once the bundle is readable.
   */
  @Test
  void messagesFromAPeerWhoseKeyIsUnreadableAreHeldWithTheReason() throws Exception {
    try (Net net = Net.create(Transport.LOCAL, tmp)) {
      Cluster c = net.cluster;
      c.client(DS).peers().add(DO);
      Path dsBundle = find(net.root, FolderNames.encryptionBundleFile(DS, DO));
      String good = Files.readString(dsBundle);
      Files.writeString(dsBundle, "{\"public_encryption_bundle\": {\"id\": \"did:syft:" + DS + "\"}}");
      c.client(DO).sync();
      c.client(DO).peers().approve(DS);
      c.client(DS).sync();
      c.client(DO).sync();
      assertThat(peer(c, DO, DS).fingerprint()).isNull();
      assertThat(peer(c, DS, DO).encrypted()).isTrue(); // DS pinned DO's key: it seals to DO

      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      c.client(DO).sync();
      c.client(DS).sync();
      Cluster.write(c.replica(DS, DO), "one.txt", "1");
      c.client(DS).sync();
      Cluster.write(c.replica(DS, DO), "two.txt", "2");
      c.client(DS).sync();
      for (int round = 0; round < 2; round++) {
        c.clock.advance(java.time.Duration.ofSeconds(5));
        SyncReport r = c.client(DO).sync();
        assertThat(r.accepted()).isZero();
        assertThat(r.rejected()).isZero();
        assertThat(r.peerErrors()).containsKey(DS);
        Status s = c.client(DO).status();
        assertThat(s.quarantined()).isEmpty();
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w)
            .startsWith("2 message(s) from " + DS + " held: their key bundle is not readable: ")
            .contains("bundle").contains("retried every round"));
      }
      assertThat(c.datasite(DO).resolve("one.txt")).doesNotExist();

      Files.writeString(dsBundle, good); // published properly at last
      c.clock.advance(java.time.Duration.ofSeconds(5));
      SyncReport r = c.client(DO).sync();
      assertThat(r.accepted()).isEqualTo(2);
      assertThat(Cluster.read(c.datasite(DO), "two.txt")).isEqualTo("2");
      assertThat(c.client(DO).status().warnings()).isEmpty();
    }
  }

  /** Which of the owner's outbox messages for DS open with {@code keys}. */
  static List<Boolean> opensWith(Path root, Identity keys, Identity sender) throws Exception {
    List<Boolean> out = new ArrayList<>();
    for (Path m : p2pMessages(root)) {
      if (m.getFileName().toString().startsWith("syfteventsmessagev3_")) {
        try {
          Envelope.open(Files.readAllBytes(m), keys, sender.bundle());
          out.add(true);
        } catch (dev.syft.crypto.CryptoException e) {
          out.add(false);
        }
      }
    }
    return out;
  }

  /**
   * After the owner trusts a peer's changed key, its outbox history for that peer is sealed again to
   * the new key, so a reader with only the new key (a restored home) can read all of it.
   */
  @Test
  void trustingAChangedKeyResealsTheOutboxHistory() throws Exception {
    try (Net net = Net.create(Transport.LOCAL, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      for (int i = 0; i < 3; i++) {
        Cluster.write(c.datasite(DO), "public/f" + i + ".txt", "v" + i);
        c.client(DO).sync();
      }
      c.client(DS).sync();
      Identity old = keys(c, DS);
      Identity owner = keys(c, DO);
      assertThat(opensWith(net.root, old, owner)).hasSizeGreaterThanOrEqualTo(3).containsOnly(true);

      c.close(DS);
      Identity replaced = Identity.generate(DS, RandomSource.secure());
      PrivateKeyFile.write(PrivateKeyFile.in(c.homeDir(DS)), replaced, true);
      Cluster.write(c.replica(DS, DO), "public/f0.txt", "changed");
      c.client(DS).sync(); // republishes its bundle, proposes with the new key
      c.client(DO).sync(); // refused: the key changed
      assertThat(peer(c, DO, DS).keyProblem()).contains("changed");
      assertThat(opensWith(net.root, replaced, owner)).contains(false);

      c.client(DO).peers().trust(DS, replaced.fingerprint().shortForm());
      List<Boolean> after = opensWith(net.root, replaced, owner);
      assertThat(after).hasSizeGreaterThanOrEqualTo(3).containsOnly(true);
      assertThat(opensWith(net.root, old, owner)).containsOnly(false);
      c.client(DO).sync(); // nothing left to re-seal; traffic resumes
      assertThat(opensWith(net.root, replaced, owner)).containsOnly(true);
      c.client(DS).sync();
      assertThat(Cluster.read(c.replica(DS, DO), "public/f2.txt")).isEqualTo("v2");
    }
  }
}
