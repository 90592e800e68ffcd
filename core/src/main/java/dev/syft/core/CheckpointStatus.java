package dev.syft.core;

/**
 * The bootstrap material of a data owner.
 *
 * @param fullCheckpoints full checkpoints on the transport (normally 0 or 1)
 * @param fullBytes their total size
 * @param fullTimestamp creation time of the latest, or null
 * @param incrementals incremental checkpoints waiting for compaction
 * @param incrementalBytes their total size
 * @param rollingPaths distinct paths in the rolling state
 * @param lastEventTimestamp newest event in the own event log, or null
 * @param eventLogMessages events messages recorded locally since the last full checkpoint
 */
public record CheckpointStatus(int fullCheckpoints, long fullBytes, Double fullTimestamp, int incrementals,
    long incrementalBytes, int rollingPaths, Double lastEventTimestamp, int eventLogMessages) {}
