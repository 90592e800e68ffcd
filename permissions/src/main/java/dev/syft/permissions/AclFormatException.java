package dev.syft.permissions;

import dev.syft.protocol.MalformedMessageException;
import java.util.List;

/**
 * A {@code syft.pub.yaml} that cannot be loaded: a YAML syntax error, a wrong shape (a list where a
 * mapping belongs, a rule without {@code access}), an unsupported template, or a file beyond the
 * configured {@link AclLimits}. The message names the file, line and reason; {@link #problems()}
 * lists every error found.
 */
public class AclFormatException extends MalformedMessageException {
  private static final long serialVersionUID = 1L;

  private final transient List<AclProblem> problems;

  public AclFormatException(List<AclProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  public AclFormatException(AclProblem problem) {
    this(List.of(problem));
  }

  /** The errors, in file order. */
  public List<AclProblem> problems() {
    return problems;
  }

  private static String summary(List<AclProblem> problems) {
    if (problems.isEmpty()) {
      return "invalid permission file";
    }
    String first = problems.get(0).toText();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
