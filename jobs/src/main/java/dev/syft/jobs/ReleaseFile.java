package dev.syft.jobs;

/**
 * A file that leaves the data owner's machine when {@code part} is released with {@link Jobs#share}.
 *
 * @param path relative to the job's review folder ({@code outputs/...}, {@code stdout.txt}, ...)
 * @param size in bytes
 * @param part what releases it
 * @param released true when the submitter may already read it
 */
public record ReleaseFile(String path, long size, Release part, boolean released) {}
