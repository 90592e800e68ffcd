package dev.syft.jobs;

import java.util.List;
import java.util.Optional;

/**
 * Everything a reviewer looks at before deciding, and before releasing results.
 *
 * @param info the job (its {@code contentHash} is what an approval binds to)
 * @param executes what this data owner will actually execute (Python and Java jobs are started from
 *     the validated metadata; {@code run.sh} is executed only for bash jobs)
 * @param files every file of the job covered by the content hash, sorted by path
 * @param release on the own datasite: every file that would leave with each {@link Release} part
 *     (empty before a run and on a replica)
 * @param logs the job's logs as {@link Jobs#logs} gives them
 */
public record JobDetails(JobInfo info, String executes, List<JobFile> files, List<ReleaseFile> release, JobLogs logs) {
  public JobDetails {
    files = List.copyOf(files);
    release = List.copyOf(release);
  }

  /** The file at {@code path} (relative to the job folder, e.g. {@code code/main.py}). */
  public Optional<JobFile> file(String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }
}
