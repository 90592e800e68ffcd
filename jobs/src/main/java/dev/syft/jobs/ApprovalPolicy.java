package dev.syft.jobs;

import java.util.List;
import java.util.Map;

/**
 * A data owner's standing approval: future jobs whose reviewed content matches {@link #fingerprint()}
 * exactly are approved automatically ({@code approval_method: auto}).
 *
 * <p>The fingerprint covers what a job can make the owner execute: the job kind, the entrypoint, the
 * dependencies (the syft-client install source aside, which syft-java never installs), the datasets it
 * may read, the SHA-256 of the raw bytes of every file under {@code code/}, and {@code run.sh} for
 * bash jobs (the only kind whose {@code run.sh} is executed). Names, times and the submitter's paths
 * are not part of it, so each new submission of the same code matches.
 *
 * @param name unique name
 * @param peers submitters it applies to; empty means nobody unless {@code anyPeer}
 * @param anyPeer applies to every submitter (explicit, never implied by an empty list)
 * @param fingerprint SHA-256 of the canonical description above
 * @param kind the job kind
 * @param entrypoint the entrypoint, or null
 * @param dependencies the dependencies covered
 * @param datasets the datasets covered
 * @param files relative path under {@code code/} to SHA-256
 * @param runScriptSha256 SHA-256 of {@code run.sh} for bash jobs, else null
 * @param source where it came from ({@code job <id>} or {@code files})
 * @param createdAt creation time (ISO-8601 UTC)
 */
public record ApprovalPolicy(String name, List<String> peers, boolean anyPeer, String fingerprint, String kind,
    String entrypoint, List<String> dependencies, List<String> datasets, Map<String, String> files,
    String runScriptSha256, String source, String createdAt) {
  public ApprovalPolicy {
    peers = List.copyOf(peers);
    dependencies = List.copyOf(dependencies);
    datasets = List.copyOf(datasets);
    files = Map.copyOf(files);
  }

  /** Whether it applies to jobs from {@code submitter}. */
  public boolean appliesTo(String submitter) {
    return anyPeer || peers.contains(submitter);
  }
}
