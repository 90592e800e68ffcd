package dev.syft.transport.layout;

import dev.syft.transport.Entry;

/**
 * A P2P folder another user created for this client's datasite, as found by {@link
 * SyftLayout#listPeerRequestFolders()}.
 *
 * @param peer the creator (the name's peer field, checked against the folder's owner)
 * @param name the parsed name
 * @param compatible whether its name carries an x.y.z version (any: a peer's folders are read whatever
 *     version named them, as PySyft 0.10 does)
 * @param folder the folder itself
 */
public record PeerFolder(String peer, P2pFolderName name, boolean compatible, Entry folder) {}
