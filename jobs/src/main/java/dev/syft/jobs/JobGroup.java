package dev.syft.jobs;

import java.time.Instant;
import java.util.List;

/**
 * The same job submitted to several data owners at once (map-reduce fan-out), as the submitter
 * sees it. A single-owner submission is a group of one.
 *
 * @param id the group id (the job name)
 * @param name the job name at every owner
 * @param submittedAt when it was submitted, or null when the record holds no readable time
 * @param members each owner's copy, with its current state
 */
public record JobGroup(String id, String name, Instant submittedAt, List<JobInfo> members) {
  public JobGroup {
    members = List.copyOf(members);
  }
}
