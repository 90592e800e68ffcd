package dev.syft.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Datasets#create} needs. Build with {@link #builder}.
 *
 * @param name dataset name ({@link DatasetNames#validate})
 * @param mock a file or folder of mock data; a folder's contents are copied recursively
 * @param privateData a file or folder of private data; never leaves the owner's machine unless
 *     {@code uploadPrivate}
 * @param summary one-line summary, or null
 * @param readme a Markdown ({@code .md}) file copied next to the mock data, or null
 * @param tags free-form tags (order kept, duplicates dropped)
 * @param location the reference's remote-location id, or null
 * @param audience who may see the mock data
 * @param uploadPrivate also upload the private files to an owner-only collection (a backup the
 *     owner's other machines restore from); no peer can read it
 */
public record NewDataset(String name, Path mock, Path privateData, String summary, Path readme, List<String> tags,
    String location, Audience audience, boolean uploadPrivate) {

  public NewDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mock, "mock");
    Objects.requireNonNull(privateData, "privateData");
    Objects.requireNonNull(audience, "audience");
    LinkedHashSet<String> t = new LinkedHashSet<>();
    for (String tag : tags == null ? List.<String>of() : tags) {
      if (tag != null && !tag.isBlank()) {
        t.add(tag.strip());
      }
    }
    tags = List.copyOf(t);
  }

  public static Builder builder(String name, Path mock, Path privateData) {
    return new Builder(name, mock, privateData);
  }

  /** Builder of a {@link NewDataset}; the audience defaults to {@link Audience#nobody()}. */
  public static final class Builder {
    private final String name;
    private final Path mock;
    private final Path privateData;
    private String summary;
    private Path readme;
    private final List<String> tags = new ArrayList<>();
    private String location;
    private Audience audience = Audience.nobody();
    private boolean uploadPrivate;

    private Builder(String name, Path mock, Path privateData) {
      this.name = name;
      this.mock = mock;
      this.privateData = privateData;
    }

    public Builder summary(String s) {
      this.summary = s;
      return this;
    }

    public Builder readme(Path markdownFile) {
      this.readme = markdownFile;
      return this;
    }

    public Builder tags(List<String> t) {
      tags.addAll(t);
      return this;
    }

    public Builder location(String l) {
      this.location = l;
      return this;
    }

    public Builder audience(Audience a) {
      this.audience = Objects.requireNonNull(a);
      return this;
    }

    /** Shares with the given users ({@link Audience#users(java.util.Collection)}). */
    public Builder shareWith(String... emails) {
      return audience(Audience.users(emails));
    }

    /** Shares with every approved peer, now and later. */
    public Builder shareWithAnyPeer() {
      return audience(Audience.anyPeer());
    }

    public Builder uploadPrivate(boolean on) {
      this.uploadPrivate = on;
      return this;
    }

    public NewDataset build() {
      return new NewDataset(name, mock, privateData, summary, readme, tags, location, audience, uploadPrivate);
    }
  }
}
