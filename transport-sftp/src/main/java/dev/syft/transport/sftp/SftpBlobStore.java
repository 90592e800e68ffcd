package dev.syft.transport.sftp;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.blob.BlobStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A {@link BlobStore} in one directory of an SFTP server. Files are written to a hidden temporary
 * name and renamed into place: a plain SFTP rename refuses an existing target (OpenSSH and MINA
 * SSHD), which makes exclusive puts atomic; replacing uses {@code posix-rename@openssh.com} (OpenSSH)
 * or the atomic overwriting rename of SFTP v5+ (MINA SSHD). SFTP
 * channels are pooled (one per concurrent operation; an open download keeps its own until closed).
 */
final class SftpBlobStore implements BlobStore {
  private static final String TMP_PREFIX = ".syft-tmp-";

  private final ClientSession session;
  private final String root;
  private final ConcurrentLinkedQueue<SftpClient> idle = new ConcurrentLinkedQueue<>();
  private final Runnable onClose;

  /**
   * @param root absolute directory on the server, without a trailing '/'
   * @param onClose closes what owns the session (the SSH client)
   */
  SftpBlobStore(ClientSession session, String root, Runnable onClose) {
    this.session = session;
    this.root = root;
    this.onClose = onClose;
  }

  @FunctionalInterface
  private interface Op<T> {
    T run(SftpClient c) throws IOException;
  }

  private SftpClient borrow() throws IOException {
    SftpClient c;
    while ((c = idle.poll()) != null) {
      if (c.isOpen()) {
        return c;
      }
    }
    if (!session.isOpen()) {
      throw new StorageException(Kind.TRANSIENT, "the SSH connection to " + session.getConnectAddress() + " is closed");
    }
    return SftpClientFactory.instance().createSftpClient(session);
  }

  private void giveBack(SftpClient c) {
    if (c.isOpen()) {
      idle.add(c);
    }
  }

  private <T> T with(String what, Op<T> op) throws IOException {
    SftpClient c = borrow();
    try {
      return op.run(c);
    } catch (SftpException e) {
      throw map(e, what);
    } catch (StorageException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageException(Kind.TRANSIENT, "cannot " + what + ": " + e.getMessage(), e);
    } finally {
      giveBack(c);
    }
  }

  ClientSession session() {
    return session;
  }

  private String path(String key) {
    return root + "/" + key;
  }

  @Override
  public Optional<Blob> stat(String key) throws IOException {
    return with("look up " + key, c -> {
      SftpClient.Attributes a = statOrNull(c, path(key));
      return a == null || !a.isRegularFile() ? Optional.empty()
          : Optional.of(new Blob(name(key), a.getSize(), time(a)));
    });
  }

  @Override
  public Optional<Instant> folder(String key) throws IOException {
    return with("look up " + key, c -> {
      SftpClient.Attributes a = statOrNull(c, path(key));
      return a == null || !a.isDirectory() ? Optional.empty() : Optional.of(time(a));
    });
  }

  /** Attributes of {@code p} itself (a symbolic link is not followed), or null when missing. */
  private static SftpClient.Attributes statOrNull(SftpClient c, String p) throws IOException {
    try {
      return c.lstat(p);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
        return null;
      }
      throw e;
    }
  }

  /** The whole listing; the client's lazy iteration wraps failures in UncheckedIOException. */
  private static List<SftpClient.DirEntry> readDir(SftpClient c, String dir) throws IOException {
    List<SftpClient.DirEntry> out = new ArrayList<>();
    try {
      for (SftpClient.DirEntry d : c.readDir(dir)) {
        out.add(d);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  private static Instant time(SftpClient.Attributes a) {
    return a.getModifyTime() == null ? Instant.EPOCH : a.getModifyTime().toInstant();
  }

  /** Folder reads retried when an entry vanishes while the server reads the folder (see {@link #readFolder}). */
  static final int LIST_ATTEMPTS = 5;

  @Override
  public Listing list(String key) throws IOException {
    return with("list " + key, c -> {
      List<SftpClient.DirEntry> entries = readFolder(c, path(key));
      return entries == null ? new Listing(List.of(), List.of()) : listing(entries);
    });
  }

  /**
   * The entries of folder {@code dir}, or null when it does not exist. A server that stats each entry
   * while reading a folder (MINA SSHD does; OpenSSH skips such entries) fails the whole read with "no
   * such file" when an entry vanishes in between, e.g. the temporary name of a replace being renamed
   * into place. That must not read as "the folder is missing" (an empty listing would hide the
   * replaced file): the folder is checked and read again; one that keeps changing fails as transient.
   */
  private static List<SftpClient.DirEntry> readFolder(SftpClient c, String dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return readDir(c, dir);
      } catch (SftpException e) {
        if (!missing(e)) {
          throw e;
        }
        SftpClient.Attributes a = statOrNull(c, dir);
        if (a == null || !a.isDirectory()) {
          return null;
        }
        if (attempt >= LIST_ATTEMPTS) {
          throw new StorageException(Kind.TRANSIENT, "cannot read folder " + dir + ": its entries kept changing while it was read", e);
        }
      }
    }
  }

  private static Listing listing(List<SftpClient.DirEntry> entries) {
    List<Blob> files = new ArrayList<>();
    List<Blob> folders = new ArrayList<>();
    for (SftpClient.DirEntry d : entries) {
      String n = d.getFilename();
      if (n.equals(".") || n.equals("..")) {
        continue;
      }
      SftpClient.Attributes a = d.getAttributes();
      if (a.isDirectory()) {
        folders.add(new Blob(n, 0, time(a)));
      } else if (a.isRegularFile()) {
        files.add(new Blob(n, a.getSize(), time(a)));
      } // links and special files are never listed, so never followed
    }
    return new Listing(files, folders);
  }

  private static boolean missing(SftpException e) {
    return e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH;
  }

  @Override
  public InputStream get(String key) throws IOException {
    SftpClient c = borrow();
    try {
      SftpClient.Attributes a = statOrNull(c, path(key));
      if (a == null || !a.isRegularFile()) {
        giveBack(c);
        throw new StorageException(Kind.NOT_FOUND, "'" + name(key) + "' does not exist");
      }
      InputStream in = c.read(path(key));
      AtomicBoolean closed = new AtomicBoolean();
      return new FilterInputStream(in) {
        @Override
        public void close() throws IOException {
          if (closed.compareAndSet(false, true)) {
            try {
              super.close();
            } finally {
              giveBack(c);
            }
          }
        }
      };
    } catch (SftpException e) {
      giveBack(c);
      throw map(e, "read " + key);
    } catch (StorageException e) {
      throw e;
    } catch (IOException e) {
      giveBack(c);
      throw new StorageException(Kind.TRANSIENT, "cannot read " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
    String target = path(key);
    String tmp = path(parent(key) + "/" + TMP_PREFIX + UUID.randomUUID());
    return with("write " + key, c -> {
      try {
        try (OutputStream out = c.write(tmp, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
            SftpClient.OpenMode.Exclusive)) {
          content.transferTo(out);
        }
        if (exclusive) {
          try {
            c.rename(tmp, target); // SFTP v3: refuses an existing target, atomically
          } catch (SftpException e) {
            if (statOrNull(c, target) != null) {
              throw new StorageException(Kind.ALREADY_EXISTS, "'" + name(key) + "' already exists");
            }
            throw e;
          }
        } else {
          replace(c, tmp, target);
        }
      } finally {
        try {
          c.remove(tmp);
        } catch (SftpException gone) {
          // renamed into place: nothing left
        }
      }
      SftpClient.Attributes a = c.stat(target);
      return new Blob(name(key), a.getSize(), time(a));
    });
  }

  /** Renames over an existing file atomically where the server offers {@code posix-rename@openssh.com}. */
  private static void replace(SftpClient c, String tmp, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(tmp, target);
      return;
    }
    if (c.getVersion() >= SftpConstants.SFTP_V5) { // the protocol's own atomic overwrite
      c.rename(tmp, target, SftpClient.CopyMode.Overwrite, SftpClient.CopyMode.Atomic);
      return;
    }
    // no atomic replace on this server: a reader may briefly miss the file, never see a part of it
    try {
      c.remove(target);
    } catch (SftpException e) {
      if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
    c.rename(tmp, target);
  }

  @Override
  public void makeFolder(String key) throws IOException {
    with("create folder " + key, c -> {
      try {
        c.mkdir(path(key));
      } catch (SftpException e) {
        SftpClient.Attributes a = statOrNull(c, path(key));
        if (a == null || !a.isDirectory()) {
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public void delete(String key) throws IOException {
    with("delete " + key, c -> {
      try {
        c.remove(path(key));
      } catch (SftpException e) {
        if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE && e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_PATH) {
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public void deleteFolder(String key) throws IOException {
    with("delete " + key, c -> {
      deleteTree(c, path(key));
      return null;
    });
  }

  private static void deleteTree(SftpClient c, String dir) throws IOException {
    SftpClient.Attributes a = statOrNull(c, dir);
    if (a == null) {
      return;
    }
    if (!a.isDirectory()) {
      c.remove(dir);
      return;
    }
    List<SftpClient.DirEntry> entries = readFolder(c, dir);
    if (entries == null) {
      return;
    }
    List<String> subdirs = new ArrayList<>();
    for (SftpClient.DirEntry d : entries) {
      String n = d.getFilename();
      if (n.equals(".") || n.equals("..")) {
        continue;
      }
      if (d.getAttributes().isDirectory()) {
        subdirs.add(dir + "/" + n);
      } else {
        c.remove(dir + "/" + n); // a link is removed, never followed
      }
    }
    for (String s : subdirs) {
      deleteTree(c, s);
    }
    c.rmdir(dir);
  }

  @Override
  public void move(String from, String to) throws IOException {
    with("move " + from, c -> {
      try {
        c.rename(path(from), path(to));
      } catch (SftpException e) {
        if (statOrNull(c, path(to)) != null) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name(to) + "' already exists");
        }
        throw e;
      }
      return null;
    });
  }

  static StorageException map(SftpException e, String what) {
    String msg = "cannot " + what + ": " + SftpConstants.getStatusName(e.getStatus()) + " " + e.getMessage();
    return switch (e.getStatus()) {
      case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> new StorageException(Kind.NOT_FOUND, msg, e);
      case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
          new StorageException(Kind.FORBIDDEN, msg + " (the server's file permissions refuse it)", e);
      case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS -> new StorageException(Kind.ALREADY_EXISTS, msg, e);
      case SftpConstants.SSH_FX_OP_UNSUPPORTED, SftpConstants.SSH_FX_INVALID_FILENAME, SftpConstants.SSH_FX_BAD_MESSAGE ->
          new StorageException(Kind.INVALID, msg, e);
      default -> new StorageException(Kind.TRANSIENT, msg, e);
    };
  }

  private static String parent(String key) {
    return key.substring(0, key.lastIndexOf('/'));
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  @Override
  public void close() throws IOException {
    SftpClient c;
    while ((c = idle.poll()) != null) {
      c.close();
    }
    session.close();
    onClose.run();
  }

  @Override
  public String toString() {
    return "sftp://" + session.getUsername() + "@" + session.getConnectAddress() + root;
  }
}
