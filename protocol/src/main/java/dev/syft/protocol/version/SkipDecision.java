package dev.syft.protocol.version;

/**
 * Whether to leave a peer out of an action because of its version, and what to tell the user.
 *
 * @param skip true: exclude the peer from syncing (or refuse to submit/execute)
 * @param explanation the reference's message, or {@code null} when there is nothing to say
 */
public record SkipDecision(boolean skip, String explanation) {}
