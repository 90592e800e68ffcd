package dev.syft.core.internal;

import dev.syft.permissions.Datasite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link AccessPolicy} over the permissions module's compiled tree of the own datasite. */
final class DatasitePolicy implements AccessPolicy {
  private final Datasite datasite;

  DatasitePolicy(Path root, String owner) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new dev.syft.protocol.SyftException("home-io", "cannot create the datasite " + root + ": " + e.getMessage(), e);
    }
    // no periodic re-stat: the sync engine tells the tree what changed
    this.datasite = Datasite.builder(root).owner(owner).statInterval(null).build();
  }

  Datasite datasite() {
    return datasite;
  }

  private static dev.syft.permissions.Level level(Level l) {
    return switch (l) {
      case READ -> dev.syft.permissions.Level.READ;
      case WRITE -> dev.syft.permissions.Level.WRITE;
      case ADMIN -> dev.syft.permissions.Level.ADMIN;
    };
  }

  @Override
  public boolean allowed(String user, String path, Level level) {
    // the engine's paths are normalised already; the fast path skips re-normalising and stat calls
    return datasite.allows(path, dev.syft.permissions.Emails.normalize(user), level(level));
  }

  @Override
  public String explain(String user, String path, Level level) {
    return datasite.explain(path, user, level(level)).decision().toText();
  }

  @Override
  public void refresh() {
    datasite.refresh();
  }

  @Override
  public void changed(String aclPath) {
    datasite.fileChanged(aclPath);
  }

  @Override
  public void grantFolder(String folder, String user, Level level) {
    try {
      Files.createDirectories(datasite.root().resolve(folder));
    } catch (IOException e) {
      throw new dev.syft.protocol.SyftException("home-io", "cannot create " + folder + ": " + e.getMessage(), e);
    }
    datasite.grant(folder + "/", user, level(level));
  }

  @Override
  public void revokeFolder(String folder, String user, Level level) {
    if (Files.isDirectory(datasite.root().resolve(folder))) {
      datasite.revoke(folder + "/", user, level(level));
    }
  }
}
