package dev.syft.protocol.names;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.internal.PyText;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * File-name grammar of the five archive kinds (PROTOCOL.md 3.2), formatting and parsing exactly as
 * the reference does, quirks included.
 *
 * <p>Parsing mirrors the reference: prefixes of message names are not checked, the proposal uid is
 * not validated, every {@code .tar.gz} is removed from it, and checkpoint/rolling-state parsers
 * return "no value" instead of failing. A name is only <em>usable</em> if it also re-renders to
 * itself ({@link #isUsableProposalName}, {@link #isUsableEventsName}): the reference lists a folder,
 * parses every name and then looks each file up again by the re-rendered name.
 */
public final class FileNames {
  public static final String ARCHIVE_EXTENSION = ".tar.gz";
  public static final String PROPOSAL_PREFIX = "msgv2";
  public static final String EVENTS_PREFIX = "syfteventsmessagev3";
  public static final String CHECKPOINT_PREFIX = "checkpoint";
  public static final String INCREMENTAL_CHECKPOINT_PREFIX = "incremental_checkpoint";
  public static final String ROLLING_STATE_PREFIX = "rolling_state";

  private FileNames() {}

  /** {@code msgv2_<ts>_<uid>.tar.gz}. */
  public static String proposal(double submittedTimestamp, String uid) {
    return PROPOSAL_PREFIX + "_" + Timestamps.nameText(submittedTimestamp) + "_" + uid + ARCHIVE_EXTENSION;
  }

  /**
   * Parses a proposal name: splitting on {@code _} must give exactly three parts, the second a float.
   *
   * @throws MalformedMessageException when the reference would refuse the name
   */
  public static ProposalName parseProposal(String name) {
    String[] parts = name.split("_", -1);
    if (parts.length != 3) {
      throw invalid(name);
    }
    OptionalDouble ts = PyText.parseFloat(parts[1]);
    if (ts.isEmpty()) {
      throw invalid(name);
    }
    return new ProposalName(ts.getAsDouble(), parts[2].replace(ARCHIVE_EXTENSION, ""));
  }

  /** True when the name parses as a proposal and re-renders to exactly itself. */
  public static boolean isUsableProposalName(String name) {
    try {
      return parseProposal(name).render().equals(name);
    } catch (MalformedMessageException e) {
      return false;
    }
  }

  /** {@code syfteventsmessagev3_<ts>_<id>.tar.gz}, the id in lower case. */
  public static String events(double timestamp, UUID id) {
    return EVENTS_PREFIX + "_" + Timestamps.nameText(timestamp) + "_" + id + ARCHIVE_EXTENSION;
  }

  /**
   * Parses an events-message name: split on the first two {@code _}; the second part is a float and
   * the rest, minus one trailing {@code .tar.gz}, must be a UUID.
   *
   * @throws MalformedMessageException when the reference would refuse the name
   */
  public static EventsName parseEvents(String name) {
    String[] parts = name.split("_", 3);
    if (parts.length != 3) {
      throw invalid(name);
    }
    OptionalDouble ts = PyText.parseFloat(parts[1]);
    if (ts.isEmpty()) {
      throw invalid(name);
    }
    String id = parts[2];
    if (id.endsWith(ARCHIVE_EXTENSION)) {
      id = id.substring(0, id.length() - ARCHIVE_EXTENSION.length());
    }
    Optional<UUID> uuid = PyText.parseUuid(id);
    if (uuid.isEmpty()) {
      throw invalid(name);
    }
    return new EventsName(ts.getAsDouble(), uuid.get());
  }

  /** True when the name parses as an events message and re-renders to exactly itself. */
  public static boolean isUsableEventsName(String name) {
    try {
      return parseEvents(name).render().equals(name);
    } catch (MalformedMessageException e) {
      return false;
    }
  }

  /** {@code checkpoint_<ts>.tar.gz}. */
  public static String checkpoint(double timestamp) {
    return CHECKPOINT_PREFIX + "_" + Timestamps.nameText(timestamp) + ARCHIVE_EXTENSION;
  }

  /**
   * The timestamp of a full-checkpoint name: the name must start with {@code checkpoint}; after
   * removing every {@code .tar.gz} the second {@code _} field is the float. Empty otherwise.
   */
  public static OptionalDouble checkpointTimestamp(String name) {
    if (!name.startsWith(CHECKPOINT_PREFIX)) {
      return OptionalDouble.empty();
    }
    String[] parts = name.replace(ARCHIVE_EXTENSION, "").split("_", -1);
    return parts.length >= 2 ? PyText.parseFloat(parts[1]) : OptionalDouble.empty();
  }

  /** {@code incremental_checkpoint_<seq>_<ts>.tar.gz}. */
  public static String incrementalCheckpoint(int sequenceNumber, double timestamp) {
    return INCREMENTAL_CHECKPOINT_PREFIX + "_" + sequenceNumber + "_" + Timestamps.nameText(timestamp)
        + ARCHIVE_EXTENSION;
  }

  /**
   * The sequence number of an incremental-checkpoint name: at least four {@code _} fields, the third
   * an integer as Python's {@code int()} reads it. Empty otherwise (also when it does not fit an int).
   */
  public static OptionalInt incrementalSequence(String name) {
    if (!name.startsWith(INCREMENTAL_CHECKPOINT_PREFIX)) {
      return OptionalInt.empty();
    }
    String[] parts = name.replace(ARCHIVE_EXTENSION, "").split("_", -1);
    if (parts.length < 4) {
      return OptionalInt.empty();
    }
    Optional<BigInteger> seq = PyText.parseInt(parts[2]);
    if (seq.isEmpty() || seq.get().bitLength() > 31) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(seq.get().intValue());
  }

  /** {@code rolling_state_<ts>.tar.gz}. */
  public static String rollingState(double timestamp) {
    return ROLLING_STATE_PREFIX + "_" + Timestamps.nameText(timestamp) + ARCHIVE_EXTENSION;
  }

  /** The timestamp of a rolling-state name: the third {@code _} field. Empty otherwise. */
  public static OptionalDouble rollingStateTimestamp(String name) {
    if (!name.startsWith(ROLLING_STATE_PREFIX)) {
      return OptionalDouble.empty();
    }
    String[] parts = name.replace(ARCHIVE_EXTENSION, "").split("_", -1);
    return parts.length >= 3 ? PyText.parseFloat(parts[2]) : OptionalDouble.empty();
  }

  /**
   * The timestamp the reference uses to stop listing an inbox/outbox early (names sorted descending):
   * the second {@code _} field of {@code syfteventsmessagev3_...} and {@code msgv2_...} names. Empty
   * for other names and unparseable ones (the reference keeps those in the listing).
   */
  public static OptionalDouble listingTimestamp(String name) {
    if (!name.startsWith(EVENTS_PREFIX + "_") && !name.startsWith(PROPOSAL_PREFIX + "_")) {
      return OptionalDouble.empty();
    }
    String[] parts = name.split("_", -1);
    return PyText.parseFloat(parts[1]);
  }

  private static MalformedMessageException invalid(String name) {
    return new MalformedMessageException("invalid message file name: " + DatasitePaths.printable(name));
  }
}
