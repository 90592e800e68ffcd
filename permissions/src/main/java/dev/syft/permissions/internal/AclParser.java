package dev.syft.permissions.internal;

import dev.syft.permissions.Access;
import dev.syft.permissions.AclLimits;
import dev.syft.permissions.AclProblem;
import dev.syft.permissions.AclRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a parsed {@code syft.pub.yaml} the way the reference's pydantic models do: a mapping
 * with optional {@code rules} (a list of rules, each with a string {@code pattern} and an
 * {@code access} mapping of string lists) and optional {@code terminal} (a lax boolean). Unknown keys
 * are ignored (reported as warnings); anything else is an error.
 */
public final class AclParser {
  private AclParser() {}

  /** The outcome: either rules + terminal + warnings, or a non-empty list of errors. */
  public record Result(List<AclRule> rules, boolean terminal, List<AclProblem> warnings, List<AclProblem> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}");

  public static Result parse(String file, String text, AclLimits limits) {
    List<AclProblem> warnings = new ArrayList<>();
    List<AclProblem> errors = new ArrayList<>();
    YamlDoc.Node root;
    try {
      YamlDoc.Parsed parsed = YamlDoc.parseDocument(text);
      root = parsed.root();
      if (parsed.aliased() && root instanceof YamlDoc.MapNode m) {
        long expanded = expandedSize(m);
        long bound = limits.maxFileBytes() / 2;
        if (expanded > bound) {
          // aliases share nodes, so a small file can stand for a huge one: refuse what a file of the
          // size limit could not spell out without them
          errors.add(AclProblem.error(file, root.line(), root.column(), "aliases expand to " + expanded
              + " rules and entries (the limit is " + bound + ")"));
          return new Result(List.of(), false, warnings, errors);
        }
      }
    } catch (YamlDoc.SyntaxError e) {
      errors.add(AclProblem.error(file, e.line, e.column, e.getMessage()));
      return new Result(List.of(), false, warnings, errors);
    }
    List<AclRule> rules = new ArrayList<>();
    boolean terminal = false;
    if (root == null || (root instanceof YamlDoc.ScalarNode s && YamlDoc.resolve(s) == YamlDoc.Type.NULL)) {
      return new Result(rules, false, warnings, errors); // blank file = {} (no rules, not terminal)
    }
    if (!(root instanceof YamlDoc.MapNode map)) {
      errors.add(AclProblem.error(file, root.line(), root.column(),
          "the file must be a mapping with 'rules' and 'terminal', not a " + kind(root)));
      return new Result(List.of(), false, warnings, errors);
    }
    for (YamlDoc.Entry e : map.entries().values()) {
      switch (e.key()) {
        case "rules" -> parseRules(file, e, rules, warnings, errors, limits);
        case "terminal" -> {
          Boolean b = laxBool(e.value());
          if (b == null) {
            errors.add(AclProblem.error(file, e.value().line(), e.value().column(),
                "'terminal' must be true or false, not " + describe(e.value())));
          } else {
            terminal = b;
          }
        }
        default -> warnings.add(AclProblem.warning(file, e.line(), e.column(),
            "unknown key '" + printable(e.key()) + "' ignored (only 'rules' and 'terminal' are read)"));
      }
    }
    return new Result(errors.isEmpty() ? rules : List.of(), terminal, warnings, errors);
  }

  /** Rules plus principal entries the engine would hold, counting every alias use. */
  private static long expandedSize(YamlDoc.MapNode root) {
    YamlDoc.Entry rules = root.entries().get("rules");
    if (rules == null || !(rules.value() instanceof YamlDoc.SeqNode seq)) {
      return 0;
    }
    long n = seq.items().size();
    for (YamlDoc.Node item : seq.items()) {
      if (item instanceof YamlDoc.MapNode rule && rule.entries().get("access") != null
          && rule.entries().get("access").value() instanceof YamlDoc.MapNode access) {
        for (YamlDoc.Entry e : access.entries().values()) {
          if (e.value() instanceof YamlDoc.SeqNode list) {
            n += list.items().size();
          }
        }
      }
    }
    return n;
  }

  private static void parseRules(String file, YamlDoc.Entry e, List<AclRule> rules, List<AclProblem> warnings,
      List<AclProblem> errors, AclLimits limits) {
    if (!(e.value() instanceof YamlDoc.SeqNode seq)) {
      errors.add(AclProblem.error(file, e.value().line(), e.value().column(),
          "'rules' must be a list of rules, not " + describe(e.value())));
      return;
    }
    if (seq.items().size() > limits.maxRulesPerFile()) {
      errors.add(AclProblem.error(file, seq.line(), seq.column(),
          "too many rules (" + seq.items().size() + "; the limit is " + limits.maxRulesPerFile() + ")"));
      return;
    }
    int index = 0;
    for (YamlDoc.Node item : seq.items()) {
      index++;
      if (!(item instanceof YamlDoc.MapNode rule)) {
        errors.add(AclProblem.error(file, item.line(), item.column(),
            "rule " + index + " must be a mapping with 'pattern' and 'access', not " + describe(item)));
        continue;
      }
      String pattern = null;
      Access access = null;
      YamlDoc.Entry pe = rule.entries().get("pattern");
      YamlDoc.Entry ae = rule.entries().get("access");
      if (pe == null) {
        errors.add(AclProblem.error(file, rule.line(), rule.column(), "rule " + index + " has no 'pattern'"));
      } else {
        pattern = string(pe.value());
        if (pattern == null) {
          errors.add(AclProblem.error(file, pe.value().line(), pe.value().column(),
              "rule " + index + ": 'pattern' must be a string, not " + describe(pe.value())));
        } else if (pattern.length() > limits.maxPatternLength()) {
          errors.add(AclProblem.error(file, pe.value().line(), pe.value().column(),
              "rule " + index + ": pattern longer than " + limits.maxPatternLength() + " characters"));
          pattern = null;
        } else {
          String templateError = templateError(pattern);
          if (templateError != null) {
            errors.add(AclProblem.error(file, pe.value().line(), pe.value().column(),
                "rule " + index + ": " + templateError));
            pattern = null;
          } else {
            lintPattern(file, pe.value(), pattern, warnings);
          }
        }
      }
      if (ae == null) {
        errors.add(AclProblem.error(file, rule.line(), rule.column(), "rule " + index + " has no 'access'"));
      } else {
        access = access(file, index, ae.value(), warnings, errors, limits);
      }
      for (YamlDoc.Entry other : rule.entries().values()) {
        if (!other.key().equals("pattern") && !other.key().equals("access")) {
          String hint = other.key().equals("terminal") ? " ('terminal' belongs at the top of the file)" : "";
          warnings.add(AclProblem.warning(file, other.line(), other.column(),
              "unknown key '" + printable(other.key()) + "' in rule " + index + " ignored" + hint));
        }
      }
      if (pattern != null && access != null) {
        rules.add(new AclRule(pattern, access));
      }
    }
  }

  private static Access access(String file, int index, YamlDoc.Node node, List<AclProblem> warnings,
      List<AclProblem> errors, AclLimits limits) {
    if (!(node instanceof YamlDoc.MapNode map)) {
      errors.add(AclProblem.error(file, node.line(), node.column(),
          "rule " + index + ": 'access' must be a mapping of admin/write/read lists, not " + describe(node)));
      return null;
    }
    List<String> admin = List.of();
    List<String> write = List.of();
    List<String> read = List.of();
    boolean ok = true;
    for (YamlDoc.Entry e : map.entries().values()) {
      switch (e.key()) {
        case "admin", "write", "read" -> {
          List<String> list = principals(file, index, e, warnings, errors, limits);
          if (list == null) {
            ok = false;
          } else if (e.key().equals("admin")) {
            admin = list;
          } else if (e.key().equals("write")) {
            write = list;
          } else {
            read = list;
          }
        }
        default -> warnings.add(AclProblem.warning(file, e.line(), e.column(),
            "unknown access level '" + printable(e.key()) + "' in rule " + index
                + " ignored (levels are admin, write, read)"));
      }
    }
    return ok ? new Access(admin, write, read) : null;
  }

  private static List<String> principals(String file, int index, YamlDoc.Entry e, List<AclProblem> warnings,
      List<AclProblem> errors, AclLimits limits) {
    if (!(e.value() instanceof YamlDoc.SeqNode seq)) {
      errors.add(AclProblem.error(file, e.value().line(), e.value().column(),
          "rule " + index + ": '" + e.key() + "' must be a list of users, not " + describe(e.value())));
      return null;
    }
    if (seq.items().size() > limits.maxEntriesPerList()) {
      errors.add(AclProblem.error(file, seq.line(), seq.column(), "rule " + index + ": too many entries in '"
          + e.key() + "' (limit " + limits.maxEntriesPerList() + ")"));
      return null;
    }
    List<String> out = new ArrayList<>(seq.items().size());
    for (YamlDoc.Node item : seq.items()) {
      String s = string(item);
      if (s == null) {
        errors.add(AclProblem.error(file, item.line(), item.column(),
            "rule " + index + ": entries of '" + e.key() + "' must be strings, not " + describe(item)));
        return null;
      }
      if (!s.equals("USER") && !s.equals(s.toLowerCase(Locale.ROOT))) {
        warnings.add(AclProblem.warning(file, item.line(), item.column(), "'" + printable(s)
            + "' has upper-case letters; entries are compared exactly and syft-java lower-cases requesters"));
      }
      if (!s.equals(s.strip())) {
        warnings.add(AclProblem.warning(file, item.line(), item.column(),
            "'" + printable(s) + "' has leading or trailing spaces; it only matches a user id with the same spaces"));
      }
      out.add(s);
    }
    return out;
  }

  private static void lintPattern(String file, YamlDoc.Node at, String pattern, List<AclProblem> warnings) {
    if (pattern.startsWith("/")) {
      warnings.add(AclProblem.warning(file, at.line(), at.column(), "pattern '" + printable(pattern)
          + "' is absolute; patterns are relative to the folder of the permission file, so it never matches"));
    } else if (pattern.equals("..") || pattern.startsWith("../") || pattern.contains("/../")
        || pattern.endsWith("/..")) {
      warnings.add(AclProblem.warning(file, at.line(), at.column(), "pattern '" + printable(pattern)
          + "' uses '..'; a permission file only governs its own folder, so it never matches a normal path"));
    } else if (pattern.startsWith("./")) {
      warnings.add(AclProblem.warning(file, at.line(), at.column(), "pattern '" + printable(pattern)
          + "' starts with './', which is compared literally and never matches"));
    }
    if (pattern.indexOf('{') >= 0 && !pattern.contains(AclRule.USER_EMAIL_TEMPLATE)
        && pattern.indexOf(',') >= 0) {
      warnings.add(AclProblem.warning(file, at.line(), at.column(),
          "pattern '" + printable(pattern) + "': braces are literal ({a,b} is not expanded)"));
    }
  }

  /** Null when fine, else the reason the reference rejects this pattern's template. */
  static String templateError(String pattern) {
    Matcher m = TEMPLATE.matcher(pattern);
    while (m.find()) {
      if (!m.group().equals(AclRule.USER_EMAIL_TEMPLATE)) {
        return "Unsupported template " + m.group() + " in pattern '" + printable(pattern)
            + "' (only {{.UserEmail}} is supported)";
      }
    }
    return null;
  }

  private static String string(YamlDoc.Node node) {
    if (node instanceof YamlDoc.ScalarNode s && YamlDoc.resolve(s) == YamlDoc.Type.STR) {
      return s.text() == null ? "" : s.text();
    }
    return null;
  }

  /** pydantic's lax bool: a YAML bool, the ints 0/1, or one of the usual words (as strings). */
  private static Boolean laxBool(YamlDoc.Node node) {
    if (!(node instanceof YamlDoc.ScalarNode s)) {
      return null;
    }
    String v = s.text() == null ? "" : s.text();
    switch (YamlDoc.resolve(s)) {
      case BOOL -> {
        return switch (v) {
          case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" -> Boolean.TRUE;
          default -> Boolean.FALSE;
        };
      }
      case INT -> {
        String d = v.replace("_", "");
        if (d.matches("[-+]?0+")) {
          return Boolean.FALSE;
        }
        if (d.matches("\\+?0*1")) {
          return Boolean.TRUE;
        }
        return null;
      }
      case STR -> {
        return switch (v.toLowerCase(Locale.ROOT)) {
          case "1", "on", "t", "true", "y", "yes" -> Boolean.TRUE;
          case "0", "off", "f", "false", "n", "no" -> Boolean.FALSE;
          default -> null;
        };
      }
      default -> {
        return null;
      }
    }
  }

  private static String kind(YamlDoc.Node n) {
    if (n instanceof YamlDoc.SeqNode) {
      return "list";
    }
    if (n instanceof YamlDoc.MapNode) {
      return "mapping";
    }
    return "single value";
  }

  private static String describe(YamlDoc.Node n) {
    if (n instanceof YamlDoc.ScalarNode s) {
      YamlDoc.Type t = YamlDoc.resolve(s);
      String text = s.text() == null ? "" : s.text();
      return switch (t) {
        case NULL -> "an empty value";
        case STR -> "the text '" + printable(text) + "'";
        default -> "the " + t.name().toLowerCase(Locale.ROOT) + " " + printable(text);
      };
    }
    return "a " + kind(n);
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(s.length(), 120);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (s.length() > limit) {
      sb.append("...");
    }
    return sb.toString();
  }
}
