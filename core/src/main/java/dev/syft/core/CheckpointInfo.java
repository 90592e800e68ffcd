package dev.syft.core;

/**
 * A full checkpoint that was written.
 *
 * @param name its file name on the transport
 * @param files number of files it holds
 * @param timestamp creation time, epoch seconds
 * @param lastEventTimestamp newest event it covers, or null
 */
public record CheckpointInfo(String name, int files, double timestamp, Double lastEventTimestamp) {}
