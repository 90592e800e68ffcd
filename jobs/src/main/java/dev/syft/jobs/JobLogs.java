package dev.syft.jobs;

/**
 * A job's captured output, when this client has it (the owner always; a submitter once the logs are
 * shared and synced). The text is never withheld: invalid UTF-8 is replaced by U+FFFD and counted,
 * so a reviewer always sees at least what {@link Release#LOGS} would send.
 *
 * @param id the job
 * @param available whether logs exist here
 * @param stdout standard output (null when absent)
 * @param stderr standard error (null when absent)
 * @param returnCode content of {@code returncode.txt}, or null
 * @param hint what to do when logs are missing
 * @param stdoutInvalidBytes invalid UTF-8 sequences replaced in {@code stdout}
 * @param stderrInvalidBytes invalid UTF-8 sequences replaced in {@code stderr}
 */
public record JobLogs(String id, boolean available, String stdout, String stderr, Integer returnCode, String hint,
    int stdoutInvalidBytes, int stderrInvalidBytes) {}
