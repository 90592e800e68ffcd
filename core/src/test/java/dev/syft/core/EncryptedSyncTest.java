package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.crypto.Envelope;
import dev.syft.crypto.Identity;
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
}
