package dev.syft.transport.layout;

/**
 * A parsed owner-private versioned folder name: the personal event log {@code <version>#<email>},
 * {@code <email>-<version>-checkpoints} or {@code <email>-<version>-rolling-state}.
 *
 * @param email the owner named in the folder
 * @param version the version field as written
 */
public record VersionedName(String email, String version) {}
