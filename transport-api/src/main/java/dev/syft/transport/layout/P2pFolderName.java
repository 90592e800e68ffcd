package dev.syft.transport.layout;

/**
 * A parsed peer-to-peer folder name {@code syft_datasite#<version>#<datasite>#<inbox|outbox>#<peer>}:
 * created by {@code peerEmail} for {@code datasiteEmail}'s datasite.
 *
 * @param version the version field as written (the parser does not validate it)
 * @param datasiteEmail owner of the datasite the folder serves (the DO)
 * @param type inbox or outbox
 * @param peerEmail the user who created the folder in their own storage (the DS)
 */
public record P2pFolderName(String version, String datasiteEmail, BoxType type, String peerEmail) {
  /** The folder name. */
  public String render() {
    return FolderNames.p2p(version, datasiteEmail, type, peerEmail);
  }
}
