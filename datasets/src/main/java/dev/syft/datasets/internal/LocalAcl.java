package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.datasets.DatasetPaths;
import dev.syft.permissions.Access;
import dev.syft.permissions.AclFile;
import dev.syft.permissions.AclFormatException;
import dev.syft.permissions.AclRule;
import dev.syft.permissions.Datasite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The permission file of a dataset folder: one rule {@code **} whose read list is the audience,
 * written as the reference writes it (vectors {@code models/datasets}). Written directly into the
 * dataset folder (not through the nearest governing file) so it always governs that folder.
 */
final class LocalAcl {
  static final String EVERYONE = "*";

  private LocalAcl() {}

  /** The file text for a folder readable by {@code readers}. */
  static String render(String folder, List<String> readers) {
    return AclFile.of(folder, List.of(new AclRule("**", new Access(List.of(), List.of(), readers))), false).render();
  }

  /** Writes the permission file of datasite-relative {@code folder} and tells the permission engine. */
  static void write(Path datasite, Datasite permissions, String folder, List<String> readers) throws IOException {
    Path file = datasite.resolve(folder).resolve(DatasetPaths.ACL_FILE);
    DatasiteFiles.writeAtomic(file, render(folder, readers).getBytes(StandardCharsets.UTF_8));
    permissions.fileChanged(AclFile.pathOf(folder));
  }

  /** The read list of the folder's {@code **} rule; empty when there is no file or no such rule. */
  static List<String> readers(Path datasite, String folder) {
    Path file = datasite.resolve(folder).resolve(DatasetPaths.ACL_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      AclFile acl = AclFile.parse(folder, Files.readString(file, StandardCharsets.UTF_8));
      int i = acl.indexOf("**");
      return i < 0 ? List.of() : List.copyOf(acl.rules().get(i).access().read());
    } catch (IOException | AclFormatException e) {
      return List.of();
    }
  }

  /** Adds readers (keeping order, no duplicates). */
  static List<String> plus(List<String> current, List<String> add) {
    List<String> out = new ArrayList<>(current);
    for (String a : add) {
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Removes readers. */
  static List<String> minus(List<String> current, List<String> remove) {
    List<String> out = new ArrayList<>(current);
    out.removeAll(remove);
    return out;
  }
}
