package dev.syft.datasets;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A dataset as found in the client home: the owner's own (with private parts) or a peer's replica
 * (mock parts only). Read from {@code dataset.yaml}; paths are absolute.
 *
 * @param name dataset name (its folder name)
 * @param owner the owner's e-mail (the datasite folder it lives in)
 * @param own true when the owner is this client
 * @param uid the dataset's UUID
 * @param summary one-line summary, or null
 * @param tags tags in order
 * @param location the reference's remote-location id, or null
 * @param createdAt creation time, or null when unreadable
 * @param updatedAt last update time, or null when unreadable
 * @param mockDir {@code <home>/<owner>/public/syft_datasets/<name>}
 * @param mockFiles the mock files that exist locally, in {@code dataset.yaml} order
 * @param readme the README file, or null
 * @param privateDir {@code <home>/<owner>/private/syft_datasets/<name>} for the owner, else null
 * @param privateFiles the owner's private files (recursive, sorted by relative path, without
 *     {@code private_metadata.yaml} and permission files); empty for others
 * @param sharedWith for the owner: the readers of the mock folder's permission file ({@code *} =
 *     every approved peer); empty for others
 */
public record Dataset(String name, String owner, boolean own, String uid, String summary, List<String> tags,
    String location, Instant createdAt, Instant updatedAt, Path mockDir, List<Path> mockFiles, Path readme,
    Path privateDir, List<Path> privateFiles, List<String> sharedWith) {

  public Dataset {
    tags = List.copyOf(tags);
    mockFiles = List.copyOf(mockFiles);
    privateFiles = List.copyOf(privateFiles);
    sharedWith = List.copyOf(sharedWith);
  }

  /** One line for JShell and logs: name, owner, summary, file counts, audience (no paths, no contents). */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Dataset[").append(name).append(" of ").append(owner);
    if (summary != null && !summary.isBlank()) {
      b.append(", \"").append(summary).append('"');
    }
    b.append(", ").append(mockFiles.size()).append(" mock file(s)");
    if (own) {
      b.append(", ").append(privateFiles.size()).append(" private file(s), shared with ")
          .append(sharedWith.isEmpty() ? "nobody" : sharedWithAnyPeer() ? "every approved peer" : String.join(", ", sharedWith));
    }
    return b.append(']').toString();
  }

  /** True when the owner shares the mock data with every approved peer. */
  public boolean sharedWithAnyPeer() {
    return sharedWith.contains("*");
  }

  /** Mock files then private files (the reference's {@code files}). */
  public List<Path> files() {
    return java.util.stream.Stream.concat(mockFiles.stream(), privateFiles.stream()).toList();
  }
}
