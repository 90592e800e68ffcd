package dev.syft.jobs;

import java.util.List;

/**
 * What one run did.
 *
 * @param id the job ({@code <ds>/<job>})
 * @param status {@code done} or {@code failed}
 * @param returnCode the exit code ({@code -1} on timeout or runner error)
 * @param isolation {@code bubblewrap}, {@code namespaces} or {@code none} ({@link Isolation#id()})
 * @param timedOut whether the wall-clock limit killed it
 * @param notes what the runner had to enforce or report (limits hit, skipped links, no sandbox)
 * @param outputs files released to the review folder's {@code outputs/}
 */
public record RunResult(String id, JobStatus status, int returnCode, String isolation, boolean timedOut,
    List<String> notes, List<String> outputs) {
  public RunResult {
    notes = List.copyOf(notes);
    outputs = List.copyOf(outputs);
  }
}
