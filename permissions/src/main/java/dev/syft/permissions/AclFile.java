package dev.syft.permissions;

import dev.syft.permissions.internal.AclParser;
import dev.syft.protocol.yaml.PyYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed {@code syft.pub.yaml}: the rules in file order and the {@code terminal} flag, for the
 * folder the file lives in. Immutable; the {@code with...} methods return edited copies and
 * {@link #render()} writes the exact bytes the reference writes for the same content.
 *
 * <p>Grammar (as the reference reads it): a mapping with optional {@code rules} (a list of
 * {@code {pattern: str, access: {admin: [str], write: [str], read: [str]}}}) and optional
 * {@code terminal} (YAML 1.1 boolean, so {@code yes} is true). A blank file has no rules. Unknown
 * keys are ignored and reported as {@link #warnings()}.
 */
public final class AclFile {
  /** The file name that makes a folder's permission file. */
  public static final String FILE_NAME = "syft.pub.yaml";

  private final String folder;
  private final List<AclRule> rules;
  private final boolean terminal;
  private final List<AclProblem> warnings;

  private AclFile(String folder, List<AclRule> rules, boolean terminal, List<AclProblem> warnings) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.rules = List.copyOf(rules);
    this.terminal = terminal;
    this.warnings = List.copyOf(warnings);
  }

  /** A file with the given rules. {@code folder} is datasite-relative ({@code ""} for the root). */
  public static AclFile of(String folder, List<AclRule> rules, boolean terminal) {
    return new AclFile(folder, rules, terminal, List.of());
  }

  /** A file with no rules, not terminal. */
  public static AclFile empty(String folder) {
    return of(folder, List.of(), false);
  }

  /** Parses with {@link AclLimits#defaults()}. */
  public static AclFile parse(String folder, String text) {
    return parse(folder, text, AclLimits.defaults());
  }

  /**
   * Parses the text of the permission file of {@code folder}.
   *
   * @throws AclFormatException with file, line and reason when the reference would fail to load it
   *     (or a limit is exceeded)
   */
  public static AclFile parse(String folder, String text, AclLimits limits) {
    String file = pathOf(folder);
    AclParser.Result r = AclParser.parse(file, text, limits);
    if (!r.ok()) {
      throw new AclFormatException(r.errors());
    }
    return new AclFile(folder, r.rules(), r.terminal(), r.warnings());
  }

  /** The datasite-relative path of the permission file of {@code folder}. */
  public static String pathOf(String folder) {
    return folder.isEmpty() ? FILE_NAME : folder + "/" + FILE_NAME;
  }

  /** The folder this file governs, datasite-relative; {@code ""} is the datasite root. */
  public String folder() {
    return folder;
  }

  /** This file's own path, datasite-relative. */
  public String path() {
    return pathOf(folder);
  }

  /** Rules in file order (not sorted by specificity). */
  public List<AclRule> rules() {
    return rules;
  }

  /** When true, permission files in sub-folders are ignored. */
  public boolean terminal() {
    return terminal;
  }

  /** Ignored keys and other oddities found while parsing (empty for files built in code). */
  public List<AclProblem> warnings() {
    return warnings;
  }

  /** The first rule (in file order) whose pattern is exactly {@code pattern}, or -1. */
  public int indexOf(String pattern) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).pattern().equals(pattern)) {
        return i;
      }
    }
    return -1;
  }

  public AclFile withRules(List<AclRule> newRules) {
    return new AclFile(folder, newRules, terminal, List.of());
  }

  public AclFile withTerminal(boolean newTerminal) {
    return new AclFile(folder, rules, newTerminal, List.of());
  }

  /** A copy with rule {@code index} replaced. */
  public AclFile withRule(int index, AclRule rule) {
    List<AclRule> copy = new ArrayList<>(rules);
    copy.set(index, rule);
    return withRules(copy);
  }

  /** A copy with {@code rule} appended. */
  public AclFile plusRule(AclRule rule) {
    List<AclRule> copy = new ArrayList<>(rules);
    copy.add(rule);
    return withRules(copy);
  }

  /**
   * The file text exactly as the reference writes it ({@code yaml.dump}, sorted keys, block style):
   * comments and unknown keys are not kept, as in the reference.
   */
  public String render() {
    List<Map<String, Object>> ruleMaps = new ArrayList<>(rules.size());
    for (AclRule r : rules) {
      Map<String, Object> access = new LinkedHashMap<>();
      for (Level level : Level.values()) {
        access.put(level.id(), r.access().list(level));
      }
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("pattern", r.pattern());
      rule.put("access", access);
      ruleMaps.add(rule);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("rules", ruleMaps);
    doc.put("terminal", terminal);
    return PyYaml.dump(doc);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AclFile f && f.folder.equals(folder) && f.rules.equals(rules) && f.terminal == terminal;
  }

  @Override
  public int hashCode() {
    return Objects.hash(folder, rules, terminal);
  }

  @Override
  public String toString() {
    return path() + " (" + rules.size() + " rules" + (terminal ? ", terminal" : "") + ")";
  }
}
