package dev.syft.protocol.archive;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.internal.JsonFields;
import dev.syft.protocol.internal.JsonIn;
import dev.syft.protocol.internal.ModelFields;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.names.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a proposal archive from a stream with memory bounded independently of its files' sizes: the
 * JSON member is parsed as it is decompressed, and each file's content is taken out of the JSON on
 * the way ({@link ContentDiverter}) into memory (small) or a spool file (large), hashed as it goes.
 *
 * <p>Accepts and refuses what {@link ArchiveCodec#decodeProposal} does (same archive checks, limits,
 * field rules and defaults), with one addition: a string outside file contents longer than 1 MiB is
 * refused (only contents can legitimately be large). Error messages name the same fields, except
 * that invalid UTF-8 or escapes inside a content are reported without the field path. Thread-safe.
 */
public final class ProposalReader {
  private static final String WHAT = "proposal message";

  private final ArchiveLimits limits;
  private final Clock clock;

  public ProposalReader(ArchiveLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reads a proposal archive. Large contents are spooled to {@code spoolDir} (the system's temp folder
   * when null); close the result to delete them. On an exception nothing is left behind.
   *
   * @throws dev.syft.protocol.LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if it is not a single-member tar.gz holding a valid proposal
   * @throws dev.syft.protocol.UnsafePathException if a path inside could leave the datasite
   * @throws IOException if reading {@code archive} or writing a spool file fails
   */
  public SpooledProposal read(InputStream archive, Path spoolDir) throws IOException {
    Diverted d = readDiverted(archive, limits, WHAT, "proposed_file_changes", spoolDir);
    try {
      return proposal(JsonFields.root(d.root(), WHAT), d.raw(), spoolDir, d.created());
    } catch (Throwable t) {
      SpooledProposal.deleteAll(d.created());
      throw t;
    }
  }

  /**
   * A member read with the contents of {@code <listKey>[i].content} taken out: the JSON tree with
   * placeholders ("0", "1", ...), the raw (text) contents by placeholder, and every spool file made.
   */
  record Diverted(ObjectNode root, List<SpooledContent> raw, List<Path> created) {}

  static Diverted readDiverted(InputStream archive, ArchiveLimits limits, String what, String listKey, Path spoolDir)
      throws IOException {
    List<Path> created = new ArrayList<>();
    List<SpooledContent.Builder> builders = new ArrayList<>();
    try {
      ObjectNode root = CheckpointReader.readArchive(archive, limits, what, member -> {
        ContentDiverter diverter = new ContentDiverter(member,
            index -> new SpooledContent.Builder(spoolDir, created), listKey, what);
        try {
          return parse(diverter, what);
        } finally {
          builders.addAll(diverter.builders());
        }
      });
      List<SpooledContent> raw = new ArrayList<>(builders.size());
      for (SpooledContent.Builder b : builders) {
        raw.add(b.finish(FileContent.Type.TEXT));
      }
      return new Diverted(root, raw, created);
    } catch (Throwable t) {
      builders.forEach(SpooledContent.Builder::abandon);
      SpooledProposal.deleteAll(created);
      throw t;
    }
  }

  private static ObjectNode parse(InputStream json, String what) throws IOException {
    try (JsonParser p = JsonIn.streamingParser(json, what)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new MalformedMessageException(what + " is empty");
      }
      JsonNode node = JsonIn.readValue(p);
      if (p.nextToken() != null) {
        throw new MalformedMessageException(what + " is not valid JSON: content after the top-level value");
      }
      if (node == null || !node.isObject()) {
        throw new MalformedMessageException(what + " is not a JSON object");
      }
      return (ObjectNode) node;
    }
  }

  private double now() {
    return Timestamps.now(clock);
  }

  /** The field rules of {@code WireJson}'s proposal reader, with contents taken from the spool. */
  private SpooledProposal proposal(JsonFields f, List<SpooledContent> raw, Path spoolDir, List<Path> created)
      throws IOException {
    try {
      UUID id = f.uuidOr("id", UUID::randomUUID);
      String sender = f.string("sender_email");
      JsonFields name = f.objectOrNull("message_filename");
      double ts = name == null ? now() : name.numberOr("submitted_timestamp", this::now);
      String uid = name == null ? UUID.randomUUID().toString() : name.stringOr("uid", UUID.randomUUID().toString());
      List<SpooledProposal.Change> changes = new ArrayList<>();
      for (JsonFields c : f.objects("proposed_file_changes")) {
        changes.add(change(c, raw, spoolDir, created));
      }
      // the model's own checks (uid characters, finite timestamp)
      ModelFields.construct(name == null ? f : name, "uid",
          () -> new ProposedFileChangesMessage(id, sender, ts, uid, List.of()));
      return new SpooledProposal(id, sender, ts, uid, changes, created);
    } catch (SyftException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedMessageException(WHAT + ": " + e.getMessage(), e);
    }
  }

  private SpooledProposal.Change change(JsonFields c, List<SpooledContent> raw, Path spoolDir, List<Path> created)
      throws IOException {
    ModelFields.Change<SpooledContent> ch = ModelFields.proposedChange(c, f -> content(f, raw, spoolDir, created),
        SpooledContent::sha256, this::now);
    return new SpooledProposal.Change(ch.id(), ch.oldHash(), ch.newHash(), ch.submittedTimestamp(), ch.path(),
        ch.datasiteEmail(), ch.deleted(), ch.content());
  }

  /** {@code content}: null/missing, else a placeholder of the diverter; base64 when {@code content_type} is "binary". */
  static SpooledContent content(JsonFields f, List<SpooledContent> raw, Path spoolDir, List<Path> created)
      throws IOException {
    return content(f, raw::get, spoolDir, created, false);
  }

  /** As above, the raw contents by placeholder number from {@code raw}; {@code discard}: only validate base64. */
  static SpooledContent content(JsonFields f, java.util.function.IntFunction<SpooledContent> raw, Path spoolDir,
      List<Path> created, boolean discard) throws IOException {
    JsonNode v = f.raw("content");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw f.error("content", "must be a string or null, not " + JsonFields.describe(v));
    }
    SpooledContent text = raw.apply(Integer.parseInt(v.stringValue()));
    JsonNode type = f.raw("content_type");
    boolean binary = type != null && type.isString() && type.stringValue().equals("binary");
    if (!binary) {
      return text;
    }
    try {
      return decodeBase64(text, spoolDir, created, discard);
    } catch (IllegalArgumentException e) {
      throw f.error("content", e.getMessage());
    }
  }

  /**
   * Base64 as {@link FileContent#fromBase64} reads it, streamed: characters outside the alphabet are
   * dropped, the rest must be correctly padded, nothing may follow the padding.
   */
  private static SpooledContent decodeBase64(SpooledContent text, Path spoolDir, List<Path> created, boolean discard)
      throws IOException {
    SpooledContent.Builder out = new SpooledContent.Builder(spoolDir, created, discard);
    Base64.Decoder decoder = Base64.getDecoder();
    byte[] kept = new byte[64 * 1024]; // a multiple of 4
    int n = 0;
    long total = 0;
    boolean padded = false;
    try (InputStream in = text.open()) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) >= 0; ) {
        for (int i = 0; i < r; i++) {
          int c = buf[i];
          if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
              || c == '=') {
            if (padded) {
              throw new IllegalArgumentException("binary content is not valid base64");
            }
            kept[n++] = (byte) c;
            total++;
            if (n == kept.length) {
              if (kept[n - 1] == '=') {
                padded = true; // decoded at the end, once nothing else may follow
                continue;
              }
              write(decoder, kept, n, out);
              n = 0;
            }
          }
        }
      }
    }
    if (total % 4 != 0) {
      throw new IllegalArgumentException("binary content is not valid base64 (incorrect padding)");
    }
    write(decoder, kept, n, out);
    return out.finish(FileContent.Type.BINARY);
  }

  private static void write(Base64.Decoder decoder, byte[] kept, int n, SpooledContent.Builder out) throws IOException {
    byte[] decoded;
    try {
      decoded = decoder.decode(java.util.Arrays.copyOf(kept, n));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("binary content is not valid base64");
    }
    out.write(decoded, 0, decoded.length);
  }
}
