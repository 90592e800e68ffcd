package dev.syft.jobs.internal;

import java.util.List;

/**
 * What the data owner keeps privately about one job (never synced): the content hashes its review is
 * bound to, and how the last run went.
 *
 * @param receivedHash content hash when the job was received (and the submitter lost write access)
 * @param receivedAt when
 * @param approvedHash content hash at approval; a run refuses other content
 * @param policy the auto-approval policy that approved it, or null
 * @param isolation {@code bubblewrap}, {@code namespaces} or {@code none} for the last run ({@code bwrap} in older records)
 * @param isolationNote details (why not isolated, the sandbox uid)
 * @param datasets datasets mounted in the last run
 * @param runStartedAt start of the last run
 * @param runEndedAt end of the last run
 * @param timedOut whether the last run hit its wall-clock limit
 * @param notes what the runner enforced or reported in the last run
 * @param slurm the cluster job of a run still in progress on Slurm (kept so a restarted daemon re-attaches), else null
 */
public record JobRecord(String receivedHash, String receivedAt, String approvedHash, String policy, String isolation,
    String isolationNote, List<String> datasets, String runStartedAt, String runEndedAt, Boolean timedOut,
    List<String> notes, SlurmTicket slurm) {
  public JobRecord {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  public static JobRecord empty() {
    return new JobRecord(null, null, null, null, null, null, List.of(), null, null, null, List.of(), null);
  }

  public JobRecord received(String hash, String at) {
    return new JobRecord(hash, at, approvedHash, policy, isolation, isolationNote, datasets, runStartedAt, runEndedAt,
        timedOut, notes, slurm);
  }

  public JobRecord approved(String hash, String byPolicy) {
    return new JobRecord(receivedHash, receivedAt, hash, byPolicy, isolation, isolationNote, datasets, runStartedAt,
        runEndedAt, timedOut, notes, slurm);
  }

  public JobRecord ran(String iso, String isoNote, List<String> ds, String start, String end, boolean timeout,
      List<String> n) {
    return new JobRecord(receivedHash, receivedAt, approvedHash, policy, iso, isoNote, ds, start, end, timeout, n,
        null);
  }

  /** A run submitted to Slurm and still in progress: what a restarted daemon needs to finish it. */
  public JobRecord submitted(SlurmTicket t, String iso, String isoNote, List<String> ds, String start) {
    return new JobRecord(receivedHash, receivedAt, approvedHash, policy, iso, isoNote, ds, start, null, null, List.of(),
        t);
  }
}
