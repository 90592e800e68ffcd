package dev.syft.jobs;

/**
 * One file of a job as a reviewer sees it: every file the content hash covers, which is exactly
 * what a run copies and executes.
 *
 * @param path relative to the job folder ({@code config.yaml}, {@code run.sh}, {@code code/...})
 * @param size in bytes
 * @param sha256 SHA-256 of the bytes (hex); the content hash is computed over these lines
 * @param entrypoint true for the file the job starts from ({@code code/<entrypoint>})
 * @param binary true when the file holds NUL bytes; its text is then not given
 * @param text the content decoded as UTF-8, invalid bytes replaced by U+FFFD (null when binary)
 * @param invalidBytes how many invalid UTF-8 sequences were replaced (0 for clean text)
 */
public record JobFile(String path, long size, String sha256, boolean entrypoint, boolean binary, String text,
    int invalidBytes) {}
