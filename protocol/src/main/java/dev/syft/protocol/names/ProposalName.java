package dev.syft.protocol.names;

/**
 * The parsed fields of a proposal file name {@code msgv2_<submitted_timestamp>_<uid>.tar.gz}.
 *
 * @param submittedTimestamp the DS clock when the message object was created
 * @param uid the unique part; not validated (the reference accepts any text without {@code _})
 */
public record ProposalName(double submittedTimestamp, String uid) {
  public ProposalName {
    java.util.Objects.requireNonNull(uid, "uid");
  }

  /** The name the reference renders from these fields. */
  public String render() {
    return FileNames.proposal(submittedTimestamp, uid);
  }
}
