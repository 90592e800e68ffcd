package dev.syft.jobs;

import dev.syft.jobs.internal.Names;
import java.util.Objects;

/**
 * Identifies a job: the data owner whose datasite holds it, the submitter, and the job (folder)
 * name. Job names are unique per submitter and owner only, so everything is keyed by all three.
 *
 * @param owner the data owner (datasite e-mail)
 * @param submitter the data scientist who submitted it
 * @param name the job folder name
 */
public record JobId(String owner, String submitter, String name) {
  public JobId {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(submitter, "submitter");
    Objects.requireNonNull(name, "name");
  }

  /** {@code <owner>/<submitter>/<name>}: unique everywhere. */
  public String key() {
    return owner + "/" + submitter + "/" + name;
  }

  /** {@code <submitter>/<name>}: unique within one owner's datasite (what a data owner types). */
  public String shortId() {
    return submitter + "/" + name;
  }

  /** The id shown to {@code viewer}: short on the own datasite, full elsewhere. */
  public String displayFor(String viewer) {
    return owner.equals(viewer) ? shortId() : key();
  }

  /** True when the name is safe to use as a folder name. */
  public boolean hasSafeName() {
    return Names.isSafe(name);
  }

  @Override
  public String toString() {
    return key();
  }
}
