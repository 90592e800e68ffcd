package dev.syft.permissions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permission files of one datasite on disk, parsed once and cached by file stamp (size, mtime,
 * file key): a rescan stats every file but only re-reads the ones that changed. Not thread-safe; the
 * owning {@link Datasite} serialises access.
 */
final class AclStore {
  private static final Logger log = LoggerFactory.getLogger(AclStore.class);

  private record Stamp(long size, long mtimeNanos, Object key) {}

  private record Entry(String folder, Stamp stamp, AclFile file, List<AclProblem> errors) {}

  private final Path root;
  private final AclLimits limits;
  private final Map<String, Entry> entries = new TreeMap<>();
  /** Problems that belong to no single file (unreadable folders, too many files). */
  private final List<AclProblem> scanErrors = new ArrayList<>();

  long scans;
  long parses;
  long statRounds;

  AclStore(Path root, AclLimits limits) {
    this.root = root;
    this.limits = limits;
  }

  Path fileOf(String folder) {
    return folder.isEmpty() ? root.resolve(AclFile.FILE_NAME) : root.resolve(folder).resolve(AclFile.FILE_NAME);
  }

  int size() {
    return entries.size();
  }

  /** Walks the whole datasite; true when the set of files or any file changed. */
  boolean rescanAll() {
    scans++;
    Set<String> found = new HashSet<>();
    List<AclProblem> newScanErrors = new ArrayList<>();
    walk(root, found, newScanErrors);
    boolean changed = !newScanErrors.equals(scanErrors);
    scanErrors.clear();
    scanErrors.addAll(newScanErrors);
    for (String folder : List.copyOf(entries.keySet())) {
      if (!found.contains(folder)) {
        entries.remove(folder);
        changed = true;
      }
    }
    for (String folder : found) {
      changed |= reload(folder);
    }
    return changed;
  }

  /** Re-walks one folder's subtree (after a folder was added, moved or deleted). */
  boolean rescanUnder(String folder) {
    String prefix = folder.isEmpty() ? "" : folder + "/";
    boolean changed = false;
    for (String known : List.copyOf(entries.keySet())) {
      if (known.equals(folder) || known.startsWith(prefix)) {
        changed |= reload(known);
      }
    }
    Path dir = folder.isEmpty() ? root : root.resolve(folder);
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Set<String> found = new HashSet<>();
      List<AclProblem> errs = new ArrayList<>();
      walk(dir, found, errs);
      for (AclProblem p : errs) {
        if (!scanErrors.contains(p)) {
          scanErrors.add(p);
          changed = true;
        }
      }
      for (String f : found) {
        if (!entries.containsKey(f)) {
          changed |= reload(f);
        }
      }
    }
    return changed;
  }

  /** Stats every known file; true when one changed or vanished. */
  boolean restatKnown() {
    statRounds++;
    boolean changed = false;
    for (String folder : List.copyOf(entries.keySet())) {
      changed |= reload(folder);
    }
    return changed;
  }

  /** Re-reads one folder's permission file if its stamp changed (or drops it if gone). */
  boolean reload(String folder) {
    Path file = fileOf(folder);
    String rel = AclFile.pathOf(folder);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return entries.remove(folder) != null;
    } catch (IOException e) {
      return put(new Entry(folder, null, null, List.of(AclProblem.error(rel, 0, 0, "cannot read: " + e))));
    }
    Stamp stamp = new Stamp(attrs.size(), attrs.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
        + attrs.lastModifiedTime().toInstant().getNano(), attrs.fileKey());
    Entry old = entries.get(folder);
    if (old != null && old.stamp() != null && old.stamp().equals(stamp)) {
      return false;
    }
    if (attrs.isSymbolicLink()) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0,
          "is a symbolic link; permission files must be regular files"))));
    }
    if (!attrs.isRegularFile()) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0, "is not a regular file"))));
    }
    if (attrs.size() > limits.maxFileBytes()) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0, "is " + attrs.size()
          + " bytes; permission files are limited to " + limits.maxFileBytes() + " bytes"))));
    }
    parses++;
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limits.maxFileBytes() + 1));
    } catch (NoSuchFileException e) {
      return entries.remove(folder) != null;
    } catch (IOException e) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0, "cannot read: " + e))));
    }
    if (bytes.length > limits.maxFileBytes()) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0,
          "is larger than " + limits.maxFileBytes() + " bytes"))));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return put(new Entry(folder, stamp, null, List.of(AclProblem.error(rel, 0, 0, "is not valid UTF-8 text"))));
    }
    try {
      return put(new Entry(folder, stamp, AclFile.parse(folder, text, limits), List.of()));
    } catch (AclFormatException e) {
      log.warn("permission file cannot be loaded: {}", e.getMessage());
      return put(new Entry(folder, stamp, null, e.problems()));
    }
  }

  private boolean put(Entry e) {
    Entry old = entries.put(e.folder(), e);
    return old == null || !Objects.equals(old.file(), e.file()) || !old.errors().equals(e.errors())
        || (old.file() != null && !old.file().warnings().equals(e.file().warnings()));
  }

  private void walk(Path start, Set<String> found, List<AclProblem> errors) {
    try {
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && dir.getFileName().toString().equals(AclFile.FILE_NAME)) {
            add(dir.getParent(), found, errors);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.getFileName().toString().equals(AclFile.FILE_NAME)) {
            add(file.getParent(), found, errors);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          if (file.equals(root)) {
            throw new PermissionIoException("cannot list the datasite folder " + root + ": " + exc.getMessage(), exc);
          }
          // a folder we cannot list may hide a permission file: fail closed
          errors.add(AclProblem.error(folderOf(file) + "/", 0, 0,
              "cannot be listed (" + exc.getClass().getSimpleName() + "), so its permission files are unknown"));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new PermissionIoException("cannot list the datasite folder " + root + ": " + e.getMessage(), e);
    }
  }

  private void add(Path dir, Set<String> found, List<AclProblem> errors) {
    if (found.size() >= limits.maxFiles()) {
      if (errors.stream().noneMatch(p -> p.message().startsWith("more than"))) {
        errors.add(AclProblem.error("", 0, 0, "more than " + limits.maxFiles() + " permission files in the datasite"));
      }
      return;
    }
    found.add(folderOf(dir));
  }

  private String folderOf(Path dir) {
    Path rel = root.relativize(dir);
    if (rel.toString().isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** The compiled tree; a failed one when any file (or the scan) has errors. */
  PermissionTree build(String owner) {
    List<AclFile> ok = new ArrayList<>();
    List<AclProblem> errors = new ArrayList<>(scanErrors);
    List<AclProblem> warnings = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.file() != null) {
        ok.add(e.file());
      }
      errors.addAll(e.errors());
    }
    if (errors.isEmpty()) {
      return PermissionTree.of(owner, ok);
    }
    return PermissionTree.failed(owner, ok, errors, warnings);
  }

  /** Writes a permission file atomically (temporary file + rename) and caches it. */
  void write(AclFile file) {
    Path target = fileOf(file.folder());
    String text = file.render();
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + AclFile.FILE_NAME + "." + UUID.randomUUID() + ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new PermissionIoException("cannot write " + file.path() + ": " + e.getMessage(), e);
    }
    reload(file.folder());
  }
}
