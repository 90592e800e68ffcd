package dev.syft.transport.local;

import dev.syft.transport.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names the local transport hides or refuses: its own sidecars and temporary files, and the
 * artefacts of sync clients (Dropbox, OneDrive, Syncthing) and desktops.
 */
final class LocalNames {
  /** Prefix of every file this transport keeps beside user data. */
  static final String RESERVED_PREFIX = ".syft-";
  static final String META = ".syft-meta.json";
  static final String LOCK = ".syft-lock";
  static final String TMP_PREFIX = dev.syft.protocol.DatasitePaths.TEMP_PREFIX;
  /** Top-level folder of the shared-with index (one sub-folder per grantee). */
  static final String SHARES_DIR = ".syft-shares";
  static final int MAX_NAME_BYTES = 255;

  private static final Pattern CONFLICT = Pattern.compile(
      ".*(\\(.*conflicted copy.*\\)|\\.sync-conflict-\\d{8}-\\d{6}|\\(conflict.*\\)).*", Pattern.CASE_INSENSITIVE);

  private LocalNames() {}

  /** True for names never shown in listings. */
  static boolean ignored(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return name.startsWith(RESERVED_PREFIX)
        || (lower.startsWith(".syncthing.") && lower.endsWith(".tmp"))
        || (name.startsWith("~") && lower.endsWith(".tmp"))
        || name.startsWith("~$")
        || lower.startsWith(".dropbox")
        || lower.equals(".stfolder") || lower.equals(".stversions") || lower.equals(".stignore")
        || lower.equals(".ds_store") || lower.equals("thumbs.db") || lower.equals("desktop.ini")
        || name.equals("Icon\r")
        || (name.startsWith(".~lock.") && name.endsWith("#"))
        || CONFLICT.matcher(name).matches();
  }

  /** Refuses names that cannot be stored as one plain item or would be hidden. */
  static void check(String name) throws StorageException {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
      throw invalid("not a valid item name: '" + printable(name) + "'");
    }
    if (ignored(name)) {
      throw invalid("'" + printable(name) + "' is reserved for the transport or a sync client and would be hidden");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw invalid("name longer than " + MAX_NAME_BYTES + " bytes: '" + printable(name).substring(0, 40) + "...'");
    }
  }

  /** Identities become folder names, so they must be plain names too. */
  static String identity(String email) {
    String e = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    if (e.isEmpty() || e.startsWith(".") || e.indexOf('/') >= 0 || e.indexOf('\\') >= 0 || e.indexOf('\0') >= 0
        || ignored(e)) {
      throw new IllegalArgumentException("not a usable identity for the local transport: '" + printable(email) + "'");
    }
    return e;
  }

  static String printable(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
  }

  private static StorageException invalid(String message) {
    return new StorageException(StorageException.Kind.INVALID, message);
  }
}
