package dev.syft.jobs;

import java.util.List;

/**
 * What {@code collect} gathered from a group.
 *
 * @param group the group id
 * @param into the folder results were copied into ({@code <into>/<owner>/...})
 * @param members one line per owner
 */
public record CollectResult(String group, String into, List<Member> members) {
  public CollectResult {
    members = List.copyOf(members);
  }

  /**
   * @param owner the data owner
   * @param status the job's state there
   * @param collected whether outputs were copied
   * @param files the copied files, relative to {@code <into>/<owner>}
   * @param note why nothing was copied, or null
   */
  public record Member(String owner, String status, boolean collected, List<String> files, String note) {
    public Member {
      files = List.copyOf(files);
    }
  }

  /** True when every member's outputs were collected. */
  public boolean complete() {
    return members.stream().allMatch(Member::collected);
  }
}
