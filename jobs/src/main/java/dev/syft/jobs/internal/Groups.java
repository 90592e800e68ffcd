package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The submitter's record of map-reduce groups ({@code .syft/jobs/groups/<name>.json}). */
public final class Groups {
  /**
   * @param id group id (the job name)
   * @param name the job name
   * @param submittedAt when
   * @param owners the data owners it went to
   */
  public record Group(String id, String name, String submittedAt, List<String> owners) {
    public Group {
      owners = List.copyOf(owners);
    }
  }

  private final Layout layout;

  public Groups(Layout layout) {
    this.layout = layout;
  }

  private Path file(String id) {
    return layout.groupsDir().resolve(id + ".json");
  }

  public boolean exists(String id) {
    return Names.isSafe(id) && Files.exists(file(id));
  }

  public void save(Group g) {
    try {
      DatasiteFiles.writeAtomic(file(g.id()), JobStore.JSON.writeValueAsString(g));
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot save group " + g.id() + ": " + e.getMessage(), e);
    }
  }

  public Optional<Group> get(String id) {
    if (!Names.isSafe(id) || !Files.isRegularFile(file(id))) {
      return Optional.empty();
    }
    try {
      return Optional.of(JobStore.JSON.readValue(Files.readString(file(id)), Group.class));
    } catch (IOException | tools.jackson.core.JacksonException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read group " + id + ": " + e.getMessage(), e);
    }
  }

  public List<Group> all() {
    List<Group> out = new ArrayList<>();
    if (!Files.isDirectory(layout.groupsDir())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.groupsDir(), "*.json")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        get(n.substring(0, n.length() - 5)).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot list groups: " + e.getMessage(), e);
    }
    out.sort(java.util.Comparator.comparing(Group::submittedAt).reversed());
    return out;
  }
}
