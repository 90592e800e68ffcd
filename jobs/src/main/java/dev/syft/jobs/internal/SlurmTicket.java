package dev.syft.jobs.internal;

import java.util.List;

/**
 * A job handed to Slurm, as kept in the job's private record while it runs: enough for a restarted
 * daemon to find the cluster job again, wait for it and collect its logs and outputs.
 *
 * @param slurmId the Slurm job id ({@code 123}, or {@code 123_4} for task 4 of an array)
 * @param workDir the staged work folder (in the shared staging folder)
 * @param jobDir the job's copy in it (its {@code code/outputs} is what gets collected)
 * @param stdout the captured standard output
 * @param stderr the captured standard error
 * @param isolation the {@link dev.syft.jobs.Isolation#id()} of the command on the node
 * @param isolationNote how the command is isolated on the node
 * @param notes the runner's notes so far (e.g. not isolated)
 * @param timeoutSeconds the exact wall-clock limit the batch script enforces
 * @param logBytes bytes kept of each log
 * @param workBytes the work-folder quota
 */
public record SlurmTicket(String slurmId, String workDir, String jobDir, String stdout, String stderr,
    String isolation, String isolationNote, List<String> notes, long timeoutSeconds, long logBytes, long workBytes) {
  public SlurmTicket {
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
