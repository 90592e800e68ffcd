package dev.syft.protocol.archive;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.IncrementalCheckpoint;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.model.RollingState;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.model.WirePayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The message archive: gzip'd tar with exactly one regular file {@value #MEMBER_NAME} holding the
 * payload's JSON (PROTOCOL.md section 4).
 *
 * <p><b>Encoding</b> matches the reference: JSON from {@link WireJson#write}, the tar layout of
 * Python's {@code tarfile} (see {@link Ustar}), gzip with no file name, MTIME = the clock's epoch
 * second, XFL 2, OS 255, deflate level 9. Only the deflate stream may differ from the reference's
 * (it depends on the zlib build).
 *
 * <p><b>Decoding</b> treats the bytes as hostile: the compressed size and the number of
 * decompressed bytes are bounded by {@link ArchiveLimits}; links, devices, directories, extra or
 * missing members, any member name other than the exact one, truncated or corrupt gzip/tar and
 * malformed JSON are refused with a {@link SyftException} subclass and a one-line message. Nothing
 * is written to disk. Thread-safe.
 */
public final class ArchiveCodec {
  /** The single member name of every payload kind. */
  public static final String MEMBER_NAME = "proposed_file_changes.json";

  private final ArchiveLimits limits;
  private final Clock clock;
  private final WireJson json;

  /** Default limits, system clock. */
  public ArchiveCodec() {
    this(ArchiveLimits.DEFAULT, Clock.systemUTC());
  }

  /**
   * @param clock gives the gzip MTIME when encoding and the "now" the reference's model defaults
   *     use when decoding
   */
  public ArchiveCodec(ArchiveLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = new WireJson(clock);
  }

  public ArchiveLimits limits() {
    return limits;
  }

  // ------------------------------------------------------------------------------------ encoding

  /** The archive bytes for {@code payload}; store them under {@code payload.fileName()}. */
  public byte[] encode(WirePayload payload) {
    return encodeMember(WireJson.write(payload));
  }

  /** Wraps already-serialised member JSON in the reference's tar.gz layout (no validation). */
  public byte[] encodeMember(byte[] memberJson) {
    return gzip(Ustar.singleMember(MEMBER_NAME, memberJson), clock.instant().getEpochSecond());
  }

  private static byte[] gzip(byte[] data, long mtime) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GzipWriter gz = new GzipWriter(out, mtime)) {
      gz.write(data);
      gz.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: in-memory streams
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------------------------ decoding

  /**
   * Decodes an archive of a known kind.
   *
   * @throws LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if it is not a single-member tar.gz with valid JSON of the kind
   * @throws dev.syft.protocol.UnsafePathException if a path inside could leave the datasite
   */
  public WirePayload decode(byte[] archive, PayloadKind kind) {
    return json.read(kind, extractMember(archive));
  }

  /** Decodes an archive whose kind is guessed from the member's top-level keys. */
  public WirePayload decode(byte[] archive) {
    byte[] member = extractMember(archive);
    return json.read(WireJson.detectKind(member), member);
  }

  public ProposedFileChangesMessage decodeProposal(byte[] archive) {
    return json.readProposal(extractMember(archive));
  }

  public FileChangeEventsMessage decodeEvents(byte[] archive) {
    return json.readEvents(extractMember(archive));
  }

  public Checkpoint decodeCheckpoint(byte[] archive) {
    return json.readCheckpoint(extractMember(archive));
  }

  public IncrementalCheckpoint decodeIncrementalCheckpoint(byte[] archive) {
    return json.readIncrementalCheckpoint(extractMember(archive));
  }

  public RollingState decodeRollingState(byte[] archive) {
    return json.readRollingState(extractMember(archive));
  }

  /**
   * Reads an archive from a stream, refusing more than {@link ArchiveLimits#maxCompressedBytes()}.
   */
  public byte[] readBounded(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxCompressedBytes() + 1));
    if (bytes.length > limits.maxCompressedBytes()) {
      throw new LimitExceededException("archive is larger than the limit of " + limits.maxCompressedBytes() + " bytes");
    }
    return bytes;
  }

  /**
   * The raw JSON member of an archive, after all structural checks.
   *
   * @throws LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if the archive is not exactly one regular file named
   *     {@value #MEMBER_NAME} in a valid tar.gz
   */
  public byte[] extractMember(byte[] archive) {
    if (archive.length > limits.maxCompressedBytes()) {
      throw new LimitExceededException("archive is " + archive.length + " bytes, above the limit of "
          + limits.maxCompressedBytes() + " bytes");
    }
    if (archive.length < 10 || (archive[0] & 0xff) != 0x1f || (archive[1] & 0xff) != 0x8b) {
      throw new MalformedMessageException("not a gzip archive (missing gzip header)");
    }
    BoundedInputStream bounded = null;
    try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(archive), 8192)) {
      bounded = new BoundedInputStream(gz, limits.maxUncompressedBytes());
      TarArchiveInputStream tar = new TarArchiveInputStream(bounded);
      byte[] member = null;
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        checkEntry(entry);
        if (member != null) {
          throw new MalformedMessageException("archive has more than one member named " + MEMBER_NAME);
        }
        if (entry.getSize() > limits.maxUncompressedBytes()) {
          throw new LimitExceededException("archive member is " + entry.getSize() + " bytes, above the limit of "
              + limits.maxUncompressedBytes() + " bytes");
        }
        member = readEntry(tar);
      }
      if (member == null) {
        throw new MalformedMessageException("archive has no member named " + MEMBER_NAME);
      }
      // Read the (bounded) rest so gzip verifies its CRC and length: a damaged archive is refused.
      bounded.drain();
      return member;
    } catch (SyftException e) {
      throw e;
    } catch (EOFException | ZipException e) {
      throw limitOr(bounded, "archive is truncated or corrupt (" + describe(e) + ")");
    } catch (IOException | RuntimeException e) {
      throw limitOr(bounded, "archive is not a valid tar.gz (" + describe(e) + ")");
    }
  }

  /** Refuses everything but a regular file with exactly the member name. */
  static void checkEntry(TarArchiveEntry e) {
    String name = DatasitePaths.printable(e.getName());
    if (e.isSymbolicLink()) {
      throw new MalformedMessageException("archive member " + name + " is a symbolic link, refused");
    }
    if (e.isLink()) {
      throw new MalformedMessageException("archive member " + name + " is a hard link, refused");
    }
    if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      throw new MalformedMessageException("archive member " + name + " is a device or pipe, refused");
    }
    if (e.isDirectory()) {
      throw new MalformedMessageException("archive member " + name + " is a directory, refused");
    }
    if (!e.isFile() || e.isSparse()) {
      throw new MalformedMessageException("archive member " + name + " is not a regular file, refused");
    }
    String raw = e.getName();
    if (raw.startsWith("/") || raw.contains("\\") || ("/" + raw + "/").contains("/../")) {
      throw new MalformedMessageException("archive member name " + name + " points outside the archive, refused");
    }
    if (!raw.equals(MEMBER_NAME)) {
      throw new MalformedMessageException("unexpected archive member " + name + " (only " + MEMBER_NAME + " is allowed)");
    }
  }

  private static byte[] readEntry(InputStream tar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[16384];
    int n;
    while ((n = tar.read(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static SyftException limitOr(BoundedInputStream bounded, String message) {
    if (bounded != null && bounded.exceeded()) {
      return bounded.limitError();
    }
    return new MalformedMessageException(message);
  }

  static String describe(Exception e) {
    String msg = e.getMessage();
    String text = msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    return text.replaceAll("\\s+", " ");
  }
}
