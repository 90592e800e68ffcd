package dev.syft.protocol.model;

import dev.syft.protocol.DatasitePaths;

/**
 * One file of a full checkpoint: {@code {path, hash, content}}.
 *
 * <p>The reference stores {@code content} as a string only, so it cannot hold non-UTF-8 files.
 * syft-java writes text exactly like the reference and binary content as base64 with an extra
 * {@code content_type: "binary"} key on the entry (the reference ignores unknown keys, but would
 * read such content as its base64 text).
 *
 * @param path datasite-relative; normalised by {@link DatasitePaths#normalize}
 * @param hash content hash as recorded (not re-checked)
 * @param content never {@code null}
 */
public record CheckpointFile(String path, String hash, FileContent content) {
  public CheckpointFile {
    path = DatasitePaths.normalize(path);
    Checks.present(hash, "hash");
    Checks.present(content, "content");
  }

  /** An entry whose hash is computed from the content. */
  public static CheckpointFile of(String path, FileContent content) {
    return new CheckpointFile(path, content.sha256(), content);
  }
}
