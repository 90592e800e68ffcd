package dev.syft.protocol.archive;

/**
 * Bounds applied while decoding an archive from a peer, checked before and during decompression.
 *
 * @param maxCompressedBytes largest accepted {@code .tar.gz} size
 * @param maxUncompressedBytes largest accepted inner tar stream (decompressed bytes read so far)
 */
public record ArchiveLimits(long maxCompressedBytes, long maxUncompressedBytes) {
  /** 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  /** 256 MiB compressed and 256 MiB decompressed per archive. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_BYTES);

  public ArchiveLimits {
    if (maxCompressedBytes <= 0 || maxUncompressedBytes <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
  }
}
