package dev.syft.transport.layout;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Entry;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Two or more differently named folders qualify for one role (for example {@code 0.1.99#me} and
 * {@code 0.1.117#me} as the event log). The client cannot tell which one is live, so it stops and
 * tells the user which folders to delete. Same-named duplicates (a retried create) are not
 * ambiguous: the oldest wins.
 */
public class AmbiguousFolderException extends SyftException {
  private static final long serialVersionUID = 1L;

  private final transient List<Entry> folders;

  public AmbiguousFolderException(String role, List<Entry> folders, Entry keep) {
    super(ErrorCode.AMBIGUOUS_FOLDER, message(role, folders, keep));
    this.folders = List.copyOf(folders);
  }

  /** The competing folders. */
  public List<Entry> folders() {
    return folders;
  }

  private static String message(String role, List<Entry> folders, Entry keep) {
    String names = folders.stream()
        .map(f -> "'" + f.name() + "' (owner " + f.owner() + ", id " + f.id() + ")")
        .collect(Collectors.joining(", "));
    return folders.size() + " folders qualify as the " + role + ": " + names
        + "; delete the stale one(s) and keep '" + keep.name() + "', then retry";
  }
}
