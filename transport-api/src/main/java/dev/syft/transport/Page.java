package dev.syft.transport;

import java.util.List;

/** One page of a folder listing; {@code nextPageToken} is null on the last page. */
public record Page(List<Entry> entries, String nextPageToken) {
  public Page {
    entries = List.copyOf(entries);
  }
}
