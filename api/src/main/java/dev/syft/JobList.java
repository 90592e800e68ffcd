package dev.syft;

import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Jobs;
import java.util.AbstractList;
import java.util.List;

/**
 * The jobs this client sees, read once ({@link Syft#jobList()} reads again): a list of {@link Job}
 * handles in {@link Jobs#list()} order that prints as one line per job, like the reference's
 * {@code client.jobs}.
 */
public final class JobList extends AbstractList<Job> {
  private final List<Job> jobs;

  JobList(Jobs service, List<JobInfo> infos) {
    this.jobs = infos.stream().map(i -> new Job(service, i)).toList();
  }

  @Override
  public Job get(int index) {
    return jobs.get(index);
  }

  @Override
  public int size() {
    return jobs.size();
  }

  @Override
  public String toString() {
    if (jobs.isEmpty()) {
      return "no jobs";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < jobs.size(); i++) {
      JobInfo j = jobs.get(i).info();
      b.append(i == 0 ? "" : "\n").append('[').append(i).append("] ").append(j.id()).append("  ").append(j.status())
          .append("  from ").append(j.submitter()).append(" to ").append(j.owner());
    }
    return b.toString();
  }
}
