package dev.syft.protocol.archive;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.internal.JsonFields;
import dev.syft.protocol.internal.JsonIn;
import dev.syft.protocol.internal.JsonOut;
import dev.syft.protocol.internal.ModelFields;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.names.Timestamps;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a full checkpoint archive from a stream without holding its JSON: memory stays at about one
 * file's content however many files the checkpoint holds.
 *
 * <p>The archive is treated as hostile exactly like {@link ArchiveCodec#decodeCheckpoint}: the
 * compressed and decompressed sizes are bounded by {@link ArchiveLimits}; only one regular member
 * named {@value ArchiveCodec#MEMBER_NAME} is accepted (links, devices, directories, other or extra
 * members refused); truncated or corrupt gzip, a byte-order mark, invalid UTF-8, malformed JSON,
 * wrong types and unsafe paths are refused with a {@link SyftException} subclass and a one-line
 * message naming the field ({@code checkpoint: field 'files[3].path' ...}). Reading is as lenient
 * as {@link dev.syft.protocol.model.WireJson}: compact or indented JSON, header fields in any order
 * (before or after {@code files}) and with the same defaults, unknown fields ignored, binary
 * entries ({@code content_type: "binary"}, base64) and plain text entries.
 *
 * <p>Two ways to read:
 * <ul>
 *   <li>{@link #read} is one pass with no disk use: files go to the sink as they are parsed, the
 *       header is returned at the end. If it throws, files already delivered came from a refused
 *       archive and must be discarded.
 *   <li>{@link #spool} copies the member JSON to a temporary file and validates all of it first, so
 *       the header is known and the whole checkpoint is known to be valid before the first file is
 *       delivered by {@link SpooledCheckpoint#forEachFile}.
 * </ul>
 *
 * <p>One deviation from the tree reader: a second {@code files} key is refused (the tree reader
 * keeps the last). The caller's stream is read but never closed. Thread-safe.
 */
public final class CheckpointReader {
  private static final String WHAT = "checkpoint";
  private static final Set<String> HEADER_FIELDS = Set.of("version", "timestamp", "email", "last_event_timestamp");
  private static final int COPY_BUFFER = 64 * 1024;

  /** Receives the files of a checkpoint in archive order. Its exceptions propagate unchanged. */
  @FunctionalInterface
  public interface FileSink {
    void accept(CheckpointFile file) throws IOException;
  }

  private final ArchiveLimits limits;
  private final Clock clock;

  /** Default limits, system clock. */
  public CheckpointReader() {
    this(ArchiveLimits.DEFAULT, Clock.systemUTC());
  }

  /**
   * @param clock gives the "now" a checkpoint without {@code timestamp} defaults to, like the
   *     reference
   */
  public CheckpointReader(ArchiveLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public ArchiveLimits limits() {
    return limits;
  }

  /**
   * Reads a checkpoint archive in one pass, giving each file to {@code sink} as soon as it is parsed.
   *
   * @return the header, once the whole archive has been read and verified
   * @throws LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if it is not a single-member tar.gz holding a valid checkpoint
   * @throws dev.syft.protocol.UnsafePathException if a file's path could leave the datasite
   * @throws IOException if reading {@code archive} fails, or as thrown by {@code sink}
   */
  public CheckpointHeader read(InputStream archive, FileSink sink) throws IOException {
    Objects.requireNonNull(sink, "sink");
    return readArchive(archive, member -> parseMember(member, CheckpointReader::file, sink::accept)).header();
  }

  /**
   * Copies the checkpoint's JSON out of the archive into a temporary file in {@code spoolDir} (the
   * system's temp folder when {@code null}) and validates all of it. Close the result to delete the
   * file; on an exception nothing is left behind.
   *
   * @throws LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if it is not a single-member tar.gz holding a valid checkpoint
   * @throws dev.syft.protocol.UnsafePathException if a file's path could leave the datasite
   * @throws IOException if reading {@code archive} or writing the temporary file fails
   */
  public SpooledCheckpoint spool(InputStream archive, Path spoolDir) throws IOException {
    Objects.requireNonNull(archive, "archive");
    Path file = spoolDir == null
        ? Files.createTempFile("syft-checkpoint-", ".json")
        : Files.createTempFile(spoolDir, "syft-checkpoint-", ".json");
    try {
      readArchive(archive, member -> copy(member, file));
      // validated with contents only counted, so a file of any size needs no memory
      Parsed parsed = parseDiverted(file, spoolDir, true, (path, hash, content) -> {});
      return new SpooledCheckpoint(this, file, spoolDir, parsed.header(), parsed.fileCount());
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        t.addSuppressed(e);
      }
      throw t;
    }
  }

  /**
   * Parses a spooled member with each file's content taken out to memory (64 KiB) or a spool file
   * in {@code spoolDir}, deleted once {@code sink} returns; with {@code discard} contents are only
   * validated.
   */
  Parsed parseDiverted(Path file, Path spoolDir, boolean discard, SpooledCheckpoint.StreamedFileSink sink)
      throws IOException {
    List<Path> created = new ArrayList<>();
    java.util.TreeMap<Integer, SpooledContent.Builder> open = new java.util.TreeMap<>();
    SpooledContent[] rawOfEntry = new SpooledContent[1];
    try (InputStream raw = Files.newInputStream(file)) {
      SourceInputStream source = new SourceInputStream(raw, Long.MAX_VALUE);
      InputStream diverted = new ContentDiverter(source, i -> {
        // kept even when validating: base64 is checked by decoding it (the decoded bytes are discarded)
        SpooledContent.Builder b = new SpooledContent.Builder(spoolDir, created);
        open.put(i, b);
        return b;
      }, "files", WHAT).forgetting();
      try {
        return parseMember(diverted, (f, index) -> {
          String[] pathAndHash = entryFields(f);
          try {
            SpooledContent c = ProposalReader.content(f, i -> {
              SpooledContent.Builder b = open.get(i);
              if (b == null) {
                throw f.error("content", "is not a string");
              }
              open.headMap(i, true).clear(); // earlier ones were superseded (a duplicate key)
              try {
                rawOfEntry[0] = b.finish(dev.syft.protocol.model.FileContent.Type.TEXT);
                return rawOfEntry[0];
              } catch (IOException e) {
                throw new LocalFailure(e);
              }
            }, spoolDir, created, discard);
            return new Object[] {pathAndHash[0], pathAndHash[1], c};
          } catch (IOException e) {
            throw new LocalFailure(e);
          }
        }, v -> {
          try {
            sink.accept((String) v[0], (String) v[1], (SpooledContent) v[2]);
          } finally {
            // bounded disk: each content goes once delivered (the one being read stays)
            SpooledContent c = (SpooledContent) v[2];
            for (java.util.Iterator<Path> it = created.iterator(); it.hasNext(); ) {
              Path p = it.next();
              if (p.equals(c.file()) || (rawOfEntry[0] != null && p.equals(rawOfEntry[0].file()))) {
                Files.deleteIfExists(p);
                it.remove();
              }
            }
          }
        });
      } catch (LocalFailure f) {
        throw f.rethrow();
      } catch (IOException | RuntimeException e) {
        throw classify(e, source, null, WHAT);
      }
    } finally {
      open.values().forEach(SpooledContent.Builder::abandon);
      SpooledProposal.deleteAll(created);
    }
  }

  /** The checks of {@link ModelFields#checkpointFile} but the content's; returns {path, hash}. */
  static String[] entryFields(JsonFields file) {
    String path = file.string("path");
    String hash = file.string("hash");
    file.string("content"); // required and must be a string (null is refused)
    CheckpointFile checked = ModelFields.construct(file, "path",
        () -> new CheckpointFile(path, hash, dev.syft.protocol.model.FileContent.text("")));
    return new String[] {checked.path(), hash};
  }

  /** Reads one {@code files} element: refusals are the archive's fault. */
  interface EntryReader<T> {
    T read(JsonFields entry, int index);
  }

  /** Receives what an {@link EntryReader} read; its exceptions are the caller's, not the archive's. */
  interface Sink<T> {
    void accept(T value) throws IOException;
  }

  // ------------------------------------------------------------------------------------ archive

  /** Reads the member of an archive; shared with {@link ProposalReader}. */
  interface MemberHandler<T> {
    T handle(InputStream member) throws IOException;
  }

  private <T> T readArchive(InputStream archive, MemberHandler<T> handler) throws IOException {
    return readArchive(archive, limits, WHAT, handler);
  }

  /** The archive checks of {@link ArchiveCodec#extractMember}, streamed; the member goes to {@code handler}. */
  static <T> T readArchive(InputStream archive, ArchiveLimits limits, String what, MemberHandler<T> handler)
      throws IOException {
    Objects.requireNonNull(archive, "archive");
    SourceInputStream source = new SourceInputStream(archive, limits.maxCompressedBytes());
    BoundedInputStream bounded = null;
    GZIPInputStream gz = null;
    try {
      PushbackInputStream head = new PushbackInputStream(source, 2);
      byte[] magic = head.readNBytes(2);
      if (magic.length < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
        throw new MalformedMessageException("not a gzip archive (missing gzip header)");
      }
      head.unread(magic);
      gz = new GZIPInputStream(head, 8192);
      bounded = new BoundedInputStream(gz, limits.maxUncompressedBytes());
      TarArchiveInputStream tar = new TarArchiveInputStream(bounded);
      T result = null;
      boolean seen = false;
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        ArchiveCodec.checkEntry(entry);
        if (seen) {
          throw new MalformedMessageException("archive has more than one member named " + ArchiveCodec.MEMBER_NAME);
        }
        if (entry.getSize() > limits.maxUncompressedBytes()) {
          throw new LimitExceededException("archive member is " + entry.getSize() + " bytes, above the limit of "
              + limits.maxUncompressedBytes() + " bytes");
        }
        seen = true;
        result = handler.handle(new FilterInputStream(tar) {
          @Override
          public void close() {
            // the tar stream goes on to the next header
          }
        });
      }
      if (!seen) {
        throw new MalformedMessageException("archive has no member named " + ArchiveCodec.MEMBER_NAME);
      }
      // Read the (bounded) rest so gzip verifies its CRC and length: a damaged archive is refused.
      bounded.drain();
      return result;
    } catch (LocalFailure f) {
      throw f.rethrow();
    } catch (IOException | RuntimeException e) {
      throw classify(e, source, bounded, what);
    } finally {
      if (gz != null) {
        gz.close(); // frees the inflater; the caller's stream stays open
      }
    }
  }

  /**
   * The error to report for a failure while decoding (to be thrown): the source's own I/O error
   * first, then exceeded limits, then what the decoders found.
   */
  static SyftException classify(Exception e, SourceInputStream source, BoundedInputStream bounded, String what)
      throws IOException {
    if (source.failure() != null) {
      throw source.failure();
    }
    if (source.exceeded()) {
      return source.limitError();
    }
    if (bounded != null && bounded.exceeded()) {
      return bounded.limitError();
    }
    if (e instanceof SyftException s) {
      return s;
    }
    Exception cause = e;
    if (e instanceof JacksonException j) {
      if (has(j, CharacterCodingException.class) || !(j instanceof JacksonIOException)) {
        return JsonIn.failure(what, j);
      }
      cause = j.getCause() instanceof Exception x ? x : j;
    }
    if (cause instanceof EOFException || cause instanceof ZipException) {
      return new MalformedMessageException("archive is truncated or corrupt (" + ArchiveCodec.describe(cause) + ")");
    }
    return new MalformedMessageException("archive is not a valid tar.gz (" + ArchiveCodec.describe(cause) + ")");
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** Copies the member to the spool file; failures of the file are the caller's side, not the archive's. */
  private static Parsed copy(InputStream member, Path file) throws IOException {
    OutputStream out;
    try {
      out = Files.newOutputStream(file);
    } catch (IOException e) {
      throw new LocalFailure(e);
    }
    try {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = member.read(buffer)) >= 0) {
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          throw new LocalFailure(e);
        }
      }
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        throw new LocalFailure(e);
      }
    }
    return new Parsed(null, 0);
  }

  // ------------------------------------------------------------------------------------ JSON

  /** Header and number of files of a parsed member. */
  record Parsed(CheckpointHeader header, int fileCount) {}

  /**
   * Streams the member's root object: header fields are collected (last duplicate wins, as in the
   * tree reader), unknown fields skipped, each {@code files} element parsed and delivered alone.
   */
  static CheckpointFile file(JsonFields entry, int index) {
    return ModelFields.checkpointFile(entry);
  }

  private <T> Parsed parseMember(InputStream member, EntryReader<T> reader, Sink<T> sink) throws IOException {
    ObjectNode headerFields = JsonOut.object();
    JsonFields root = JsonFields.root(headerFields, WHAT);
    int count = 0;
    boolean filesSeen = false;
    try (JsonParser p = JsonIn.streamingParser(member, WHAT)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new MalformedMessageException(WHAT + " is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        throw new MalformedMessageException(WHAT + " is not a JSON object");
      }
      while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (name.equals("files")) {
          if (filesSeen) {
            throw root.error("files", "appears more than once");
          }
          filesSeen = true;
          if (t != JsonToken.START_ARRAY) {
            throw root.error("files", "must be a list, not " + JsonFields.describe(shallow(p)));
          }
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
              throw root.error("files[" + count + "]", "must be an object, not " + JsonFields.describe(shallow(p)));
            }
            ObjectNode entry = (ObjectNode) JsonIn.readValue(p);
            int index = count++;
            T file = checked(() -> reader.read(JsonFields.element(entry, WHAT, "files", index), index));
            deliver(sink, file);
          }
        } else if (HEADER_FIELDS.contains(name)) {
          headerFields.set(name, shallow(p));
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedMessageException(WHAT + " is not valid JSON: unexpected " + t);
      }
      if (p.nextToken() != null) {
        throw new MalformedMessageException(WHAT + " is not valid JSON: content after the top-level object");
      }
    }
    CheckpointHeader header = checked(() -> ModelFields.checkpointHeader(root, () -> Timestamps.now(clock)));
    return new Parsed(header, count);
  }

  /**
   * The current value, with objects and lists skipped and replaced by empty ones: header fields
   * only need a container's type for the error message.
   */
  private static JsonNode shallow(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      p.skipChildren();
      return JsonNodeFactory.instance.objectNode();
    }
    if (t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return JsonNodeFactory.instance.arrayNode();
    }
    return JsonIn.readValue(p);
  }

  /** Model invariants that the field checks did not already cover, reported like the tree reader. */
  private static <T> T checked(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (SyftException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedMessageException(WHAT + ": " + e.getMessage(), e);
    }
  }

  private static <T> void deliver(Sink<T> sink, T file) {
    if (sink == null) {
      return;
    }
    try {
      sink.accept(file);
    } catch (IOException | RuntimeException e) {
      throw new LocalFailure(e);
    }
  }

  /**
   * An exception of the caller's side (sink, spool file) carried past the decoder's error mapping
   * and rethrown unchanged.
   */
  static final class LocalFailure extends RuntimeException {
    LocalFailure(Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }

    IOException rethrow() throws IOException {
      if (getCause() instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) getCause();
    }
  }
}
