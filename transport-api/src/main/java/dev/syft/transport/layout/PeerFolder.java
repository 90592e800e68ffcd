package dev.syft.transport.layout;

import dev.syft.transport.Entry;

/**
 * A P2P folder another user created for this client's datasite, as found by {@link
 * SyftLayout#listPeerRequestFolders()}.
 *
 * @param peer the creator (the name's peer field, checked against the folder's owner)
 * @param name the parsed name
 * @param compatible whether its version shares major.minor with this client
 * @param folder the folder itself
 */
public record PeerFolder(String peer, P2pFolderName name, boolean compatible, Entry folder) {}
