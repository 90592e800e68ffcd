package dev.syft.transport;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a folder listing; {@code nextPageToken} is null on the last page. */
public record Page(List<Entry> entries, @Nullable String nextPageToken) {
  public Page {
    entries = List.copyOf(entries);
  }
}
