package io.vigil.engine.rule;

import java.util.List;

/** A rule that cannot be loaded: it does not parse, does not type-check, or breaks a limit. */
public final class RuleCompileException extends RuntimeException {
  /** One problem, with a 1-based line and column in the expression (0 when not positional). */
  public record Issue(int line, int column, String message) {
    @Override
    public String toString() {
      return line > 0 ? "line " + line + ", column " + column + ": " + message : message;
    }
  }

  private final String ruleId;
  private final String param;
  private final List<Issue> issues;

  public RuleCompileException(String ruleId, String param, List<Issue> issues) {
    // The message quotes positions in the expression, never the rule's id: the API answers with it as given.
    super(String.join("; ", issues.stream().map(Issue::toString).toList()));
    this.ruleId = ruleId;
    this.param = param;
    this.issues = List.copyOf(issues);
  }

  /** For logs and the command line, where the operator needs to know which rule: the message with the rule's id. */
  public String withRuleId() {
    return "rule " + ruleId + ": " + getMessage();
  }

  /** Stack traces (a policy that does not compile at start-up) name the rule. */
  @Override
  public String toString() {
    return getClass().getName() + ": " + withRuleId();
  }

  public String ruleId() {
    return ruleId;
  }

  /** The rule field at fault: expression, reason, id, effect… */
  public String param() {
    return param;
  }

  public List<Issue> issues() {
    return issues;
  }
}
