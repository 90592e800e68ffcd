package dev.syft.datasets;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.nio.charset.StandardCharsets;

/**
 * Dataset names. A dataset name becomes a folder name on disk ({@code public/syft_datasets/<name>})
 * and part of a transport folder name ({@code syft_datasetcollection_<name>_<hash>}), so it must be
 * one safe path segment.
 *
 * <p>The reference defines the rule {@code ^[\w-]+$} (Python's Unicode {@code \w}; {@code $} also
 * matches before a final newline) but never applies it. syft-java applies it when creating, minus
 * the trailing-newline loophole, and with a length limit. Names received from peers are checked more
 * loosely ({@link #isSafeReceivedName}), because Python peers may have created names such as
 * {@code "my dataset"}.
 */
public final class DatasetNames {
  /** Longest name accepted at creation, in UTF-8 bytes (folder names are limited to 255). */
  public static final int MAX_NAME_BYTES = 128;

  private DatasetNames() {}

  /**
   * True when the reference's validator would accept {@code name}: one or more word characters or
   * {@code -}, optionally followed by a single {@code \n}. Mirrors the reference exactly (vectors).
   */
  public static boolean matchesReferencePattern(String name) {
    if (name == null) {
      return false;
    }
    String body = name.endsWith("\n") ? name.substring(0, name.length() - 1) : name;
    return isWordOrHyphen(body);
  }

  /** True when syft-java accepts {@code name} for a new dataset (see {@link #validate}). */
  public static boolean isValid(String name) {
    return name != null && isWordOrHyphen(name) && name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
  }

  /**
   * Returns {@code name} when it is valid for a new dataset: letters, digits, {@code _} and
   * {@code -} only (Unicode letters and digits included), at most {@value #MAX_NAME_BYTES} UTF-8
   * bytes, no whitespace, dots, slashes or control characters.
   *
   * @throws SyftException with code {@code invalid-dataset-name}
   */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) {
      throw new SyftException(ErrorCode.INVALID_DATASET_NAME, "a dataset name is required");
    }
    if (!isWordOrHyphen(name)) {
      throw new SyftException(ErrorCode.INVALID_DATASET_NAME, "invalid dataset name " + dev.syft.protocol.DatasitePaths.printable(name)
          + ": use only letters, digits, '_' and '-' (no spaces, dots or slashes)");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new SyftException(ErrorCode.INVALID_DATASET_NAME, "dataset name is longer than " + MAX_NAME_BYTES + " bytes");
    }
    return name;
  }

  /**
   * True when a name found on the transport (a collection's tag) can safely be used as one folder
   * name: non-empty, at most 255 UTF-8 bytes, no {@code /}, {@code \}, control characters, not
   * {@code .} or {@code ..}, not starting with a dot, no leading or trailing whitespace.
   */
  public static boolean isSafeReceivedName(String name) {
    if (name == null || name.isEmpty() || name.startsWith(".")) {
      return false;
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return name.equals(name.strip()); // padded names are typos or tricks
  }

  /** Python's {@code [\w-]+} over code points: letters (L*), numbers (Nd, Nl, No), {@code _} and {@code -}. */
  private static boolean isWordOrHyphen(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '_' || cp == '-' || Character.isLetter(cp)) {
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER) {
        continue;
      }
      return false;
    }
    return true;
  }
}
