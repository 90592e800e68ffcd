package dev.syft.transport.layout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FolderNames#peerOfFolder}: which peer's traffic a folder carries. */
class PeerOfFolderTest {
  static final String ME = "a_b@x.example";
  static final String PEER = "c_to_d@y.example"; // underscores and even "_to_" inside an e-mail

  @Test
  void p2pFoldersOfEitherSideAndArchivesOfEitherDirectionNameThePeer() {
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.p2p("0.1.117", ME, BoxType.INBOX, PEER))).contains(PEER);
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.p2p("0.1.117", PEER, BoxType.OUTBOX, ME))).contains(PEER);
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.archive(PEER, ME))).contains(PEER);
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.archive(ME, PEER))).contains(PEER);
    assertThat(FolderNames.peerOfFolder("A_B@X.example", FolderNames.p2p("0.1.117", ME, BoxType.INBOX, "C@Y.example")))
        .contains("c@y.example");
  }

  @Test
  void otherFoldersAndOtherPeoplesFoldersNameNoPeer() {
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.p2p("0.1.117", "e@z.example", BoxType.INBOX, PEER))).isEmpty();
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.archive("e@z.example", PEER))).isEmpty();
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.datasetCollection("scans", "abc"))).isEmpty();
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.encryptionBundlesFolder(ME))).isEmpty();
    assertThat(FolderNames.peerOfFolder(ME, FolderNames.personal("0.1.117", ME))).isEmpty();
    assertThat(FolderNames.peerOfFolder(ME, "syft_" + ME + "_archive")).isEmpty();
  }
}
