package dev.syft.transport.layout;

import java.math.BigInteger;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Renders and parses the folder and file names of the Syft layout, byte for byte as the reference
 * client 0.1.117 spells them (PROTOCOL.md 3.2), and finds the version embedded in a folder name
 * (3.3).
 *
 * <p>Parsers follow the reference where it is lenient (the P2P version field is not validated,
 * empty e-mails are accepted) and are stricter only where the reference would accept a name that
 * cannot be one of ours (a P2P type other than {@code inbox}/{@code outbox}, a collection name with
 * the wrong prefix). Renderers refuse inputs that would not parse back.
 */
public final class FolderNames {
  /** The caller's top folder on Drive. */
  public static final String SYFTBOX = "SyftBox";
  /** First field of every P2P folder name. */
  public static final String P2P_PREFIX = "syft_datasite";
  /** Prefix of P2P folders of old clients; only clean-up looks for it. */
  public static final String LEGACY_P2P_PREFIX = "syft_outbox_inbox";
  /** Peer states of the owner, unversioned, directly under the top folder. */
  public static final String PEERS_FILE = "SYFT_peers.json";
  /** The owner's VersionInfo, unversioned, directly under the top folder; reader-shared per peer. */
  public static final String VERSION_FILE = "SYFT_version.json";
  /** App property marking a dataset collection shared with every approved peer. */
  public static final String SHARED_WITH_ANY_PROPERTY = "syft_shared_with_any";

  static final String ENCRYPTION_BUNDLES_PREFIX = "syft_encryption_bundles";
  static final String CHECKPOINTS_SUFFIX = "-checkpoints";
  static final String ROLLING_STATE_SUFFIX = "-rolling-state";

  private FolderNames() {}

  // ---------------------------------------------------------------- rendering

  /** {@code syft_datasite#<version>#<datasite>#<inbox|outbox>#<peer>}. */
  public static String p2p(String version, String datasiteEmail, BoxType type, String peerEmail) {
    requireField("version", version);
    requireField("datasite e-mail", datasiteEmail);
    requireField("peer e-mail", peerEmail);
    return P2P_PREFIX + "#" + version + "#" + datasiteEmail + "#" + type.wire() + "#" + peerEmail;
  }

  /** The personal event-log folder {@code <version>#<email>}. */
  public static String personal(String version, String email) {
    requireField("version", version);
    requireField("e-mail", email);
    return version + "#" + email;
  }

  /** {@code <email>-<version>-checkpoints}. */
  public static String checkpoints(String email, String version) {
    requireField("e-mail", email);
    requireVersionField(version);
    return email + "-" + version + CHECKPOINTS_SUFFIX;
  }

  /** {@code <email>-<version>-rolling-state}. */
  public static String rollingState(String email, String version) {
    requireField("e-mail", email);
    requireVersionField(version);
    return email + "-" + version + ROLLING_STATE_SUFFIX;
  }

  /** {@code syft_<sender>_to_<recipient>_archive}: processed proposals the recipient received. */
  public static String archive(String senderEmail, String recipientEmail) {
    requireField("sender e-mail", senderEmail);
    requireField("recipient e-mail", recipientEmail);
    return "syft_" + senderEmail + "_to_" + recipientEmail + "_archive";
  }

  /** {@code syft_encryption_bundles#<email>}. */
  public static String encryptionBundlesFolder(String email) {
    requireField("e-mail", email);
    return ENCRYPTION_BUNDLES_PREFIX + "#" + email;
  }

  /** {@code encryption_bundle_<owner>_for_<peer>.json}. */
  public static String encryptionBundleFile(String ownerEmail, String peerEmail) {
    requireField("owner e-mail", ownerEmail);
    requireField("peer e-mail", peerEmail);
    return "encryption_bundle_" + ownerEmail + "_for_" + peerEmail + ".json";
  }

  /** {@code syft_datasetcollection_<tag>_<hash>}. */
  public static String datasetCollection(String tag, String contentHash) {
    return collection(CollectionKind.DATASET, tag, contentHash);
  }

  /** {@code syft_privatecollection_<tag>_<hash>}. */
  public static String privateCollection(String tag, String contentHash) {
    return collection(CollectionKind.PRIVATE, tag, contentHash);
  }

  /** {@code <prefix>_<tag>_<hash>}. The hash must not contain {@code _} (it is the last field). */
  public static String collection(CollectionKind kind, String tag, String contentHash) {
    requireField("tag", tag);
    requireField("content hash", contentHash);
    if (contentHash.indexOf('_') >= 0) {
      throw new FolderNameException("a collection hash cannot contain '_': " + contentHash);
    }
    return kind.prefix() + "_" + tag + "_" + contentHash;
  }

  // ---------------------------------------------------------------- parsing

  /**
   * Parses a P2P folder name. Exactly five {@code #}-separated fields, the first {@code
   * syft_datasite}; the version field is not validated; e-mails may be empty (as in the reference).
   *
   * @throws FolderNameException {@code Invalid P2P folder name: <name>}
   */
  public static P2pFolderName parseP2p(String name) {
    return tryParseP2p(name)
        .orElseThrow(() -> new FolderNameException("Invalid P2P folder name: " + name));
  }

  /** {@link #parseP2p} without the exception. */
  public static Optional<P2pFolderName> tryParseP2p(String name) {
    String[] f = name.split("#", -1);
    if (f.length != 5 || !f[0].equals(P2P_PREFIX)) {
      return Optional.empty();
    }
    BoxType type = BoxType.fromWire(f[3]);
    if (type == null) {
      return Optional.empty();
    }
    return Optional.of(new P2pFolderName(f[1], f[2], type, f[4]));
  }

  /**
   * The other user a folder of {@code me}'s traffic with one peer belongs to: a P2P folder between
   * {@code me} and the peer (either side's), or an archive of what one sent the other. Empty for every
   * other folder (datasets, event logs, checkpoints, key bundles). E-mails compare case-insensitively.
   */
  public static Optional<String> peerOfFolder(String me, String folderName) {
    Optional<P2pFolderName> p2p = tryParseP2p(folderName);
    if (p2p.isPresent()) {
      String ds = p2p.get().datasiteEmail();
      String peer = p2p.get().peerEmail();
      if (ds.equalsIgnoreCase(me) && !peer.isEmpty() && !peer.equalsIgnoreCase(me)) {
        return Optional.of(peer.toLowerCase(java.util.Locale.ROOT));
      }
      if (peer.equalsIgnoreCase(me) && !ds.isEmpty() && !ds.equalsIgnoreCase(me)) {
        return Optional.of(ds.toLowerCase(java.util.Locale.ROOT));
      }
      return Optional.empty();
    }
    String lower = folderName.toLowerCase(java.util.Locale.ROOT);
    String m = me.toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("syft_") || !lower.endsWith("_archive")) {
      return Optional.empty();
    }
    String middle = lower.substring("syft_".length(), lower.length() - "_archive".length()); // sender_to_recipient
    String other = middle.endsWith("_to_" + m) ? middle.substring(0, middle.length() - m.length() - 4)
        : middle.startsWith(m + "_to_") ? middle.substring(m.length() + 4) : "";
    return other.isEmpty() || other.equals(m) ? Optional.empty() : Optional.of(other);
  }

  /**
   * Parses a collection folder name: tag = everything between the second and the last {@code _},
   * hash = the last field.
   *
   * @throws FolderNameException {@code Invalid dataset collection folder name: <name>} (or private)
   */
  public static CollectionName parseCollection(CollectionKind kind, String name) {
    return tryParseCollection(kind, name)
        .orElseThrow(() -> new FolderNameException("Invalid " + kind.label() + " folder name: " + name));
  }

  /**
   * {@link #parseCollection} without the exception. Also reads PySyft 0.10's variant names {@code
   * <prefix>v<n>_<tag>_<hash>} (variant {@code v<n>}, 1 to 9 digits); the reference 0.1.117 does not.
   */
  public static Optional<CollectionName> tryParseCollection(CollectionKind kind, String name) {
    String[] parts = name.split("_", -1);
    if (parts.length < 3) {
      return Optional.empty();
    }
    String head = parts[0] + "_" + parts[1];
    if (!head.startsWith(kind.prefix())) {
      return Optional.empty();
    }
    String variant = head.substring(kind.prefix().length());
    if (!variant.isEmpty() && !VARIANT.matcher(variant).matches()) {
      return Optional.empty();
    }
    String tag = String.join("_", java.util.Arrays.copyOfRange(parts, 2, parts.length - 1));
    return Optional.of(new CollectionName(kind, variant, tag, parts[parts.length - 1]));
  }

  private static final java.util.regex.Pattern VARIANT = java.util.regex.Pattern.compile("v[0-9]{1,9}");

  /** Parses {@code <version>#<email>} (exactly one {@code #}, both sides non-empty). */
  public static Optional<VersionedName> tryParsePersonal(String name) {
    int hash = name.indexOf('#');
    if (hash <= 0 || hash == name.length() - 1 || name.indexOf('#', hash + 1) >= 0) {
      return Optional.empty();
    }
    return Optional.of(new VersionedName(name.substring(hash + 1), name.substring(0, hash)));
  }

  /** Parses {@code <email>-<version>-checkpoints}; the version is the last {@code -} field. */
  public static Optional<VersionedName> tryParseCheckpoints(String name) {
    return parseSuffixed(name, CHECKPOINTS_SUFFIX);
  }

  /** Parses {@code <email>-<version>-rolling-state}; the version is the last {@code -} field. */
  public static Optional<VersionedName> tryParseRollingState(String name) {
    return parseSuffixed(name, ROLLING_STATE_SUFFIX);
  }

  private static Optional<VersionedName> parseSuffixed(String name, String suffix) {
    if (!name.endsWith(suffix)) {
      return Optional.empty();
    }
    String head = name.substring(0, name.length() - suffix.length());
    int dash = head.lastIndexOf('-');
    if (dash <= 0 || dash == head.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new VersionedName(head.substring(0, dash), head.substring(dash + 1)));
  }

  // ---------------------------------------------------------------- versions

  /**
   * The version embedded in a folder name: the first field, splitting on {@code #} and {@code -},
   * shaped {@code digits.digits.digits} ("digits" as Python's {@code str.isdigit}, which also
   * accepts superscripts).
   */
  public static Optional<String> extractVersion(String name) {
    for (String field : name.split("[#-]", -1)) {
      if (isVersionShaped(field)) {
        return Optional.of(field);
      }
    }
    return Optional.empty();
  }

  /**
   * True when {@code version} parses as three integers and its major.minor equals the client's
   * (patch may differ, so patch upgrades keep using old folders).
   */
  public static boolean isCompatible(String version, String clientVersion) {
    BigInteger[] v = parseVersion(version);
    BigInteger[] c = parseVersion(clientVersion);
    if (c == null) {
      throw new IllegalArgumentException("client version is not of the form x.y.z: " + clientVersion);
    }
    return v != null && v[0].equals(c[0]) && v[1].equals(c[1]);
  }

  /**
   * The three numbers of an x.y.z version (digits as Python's {@code int()} reads them), if it is
   * one: what a peer's folder names are compared by (highest wins, as PySyft 0.10 looks).
   */
  public static Optional<java.util.List<BigInteger>> versionOf(String version) {
    BigInteger[] v = parseVersion(version);
    return v == null ? Optional.empty() : Optional.of(java.util.List.of(v));
  }

  /** Whether a versioned folder named {@code name} is seen by a client of version {@code clientVersion}. */
  public static boolean keptAsCompatible(String name, String clientVersion) {
    return extractVersion(name).map(v -> isCompatible(v, clientVersion)).orElse(false);
  }

  static boolean isVersionShaped(String field) {
    String[] parts = field.split("\\.", -1);
    if (parts.length != 3) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || !p.codePoints().allMatch(FolderNames::isPythonDigit)) {
        return false;
      }
    }
    return true;
  }

  /** Python's {@code int()} of each field: decimal digits of any script, nothing else. */
  private static BigInteger @Nullable [] parseVersion(@Nullable String version) {
    if (version == null || !isVersionShaped(version)) {
      return null;
    }
    String[] parts = version.split("\\.", -1);
    BigInteger[] out = new BigInteger[3];
    for (int i = 0; i < 3; i++) {
      StringBuilder ascii = new StringBuilder();
      for (int cp : parts[i].codePoints().toArray()) {
        int d = Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
        if (d < 0) {
          return null; // e.g. a superscript: isdigit() but not int()-parseable
        }
        ascii.append((char) ('0' + d));
      }
      out[i] = new BigInteger(ascii.toString());
    }
    return out;
  }

  /** Python {@code str.isdigit}: Numeric_Type Decimal or Digit (approximated: Nd, or No with a value 0-9). */
  private static boolean isPythonDigit(int cp) {
    int type = Character.getType(cp);
    if (type == Character.DECIMAL_DIGIT_NUMBER) {
      return true;
    }
    if (type == Character.OTHER_NUMBER) {
      int v = Character.getNumericValue(cp);
      return v >= 0 && v <= 9;
    }
    return false;
  }

  // ---------------------------------------------------------------- checks

  private static void requireField(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new FolderNameException("a folder name needs a non-empty " + what);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '#' || c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw new FolderNameException(
            "the " + what + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' cannot be used in a folder name");
      }
    }
  }

  private static void requireVersionField(String version) {
    requireField("version", version);
    if (version.indexOf('-') >= 0) {
      throw new FolderNameException("a version cannot contain '-': " + version);
    }
  }
}
