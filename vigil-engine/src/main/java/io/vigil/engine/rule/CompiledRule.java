package io.vigil.engine.rule;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.List;
import java.util.Map;

/**
 * A rule ready to run: its CEL program, the declared names its expression and reason read (their
 * values go into the decision's reasons), and its reason template split into parts.
 */
public final class CompiledRule {
  private final RuleDefinition definition;
  private final CompiledExpression expression;
  private final List<String> templateParts;

  CompiledRule(RuleDefinition definition, CelRuntime.Program program, List<String> referencedNames,
      List<String> templateParts) {
    this.definition = definition;
    this.expression = new CompiledExpression(program, referencedNames);
    this.templateParts = List.copyOf(templateParts);
  }

  public RuleDefinition definition() {
    return definition;
  }

  public List<String> referencedNames() {
    return expression.referencedNames();
  }

  /** True when the rule fires; throws when evaluation fails (e.g. a missing attribute key). */
  public boolean evaluate(Activation activation) throws CelEvaluationException {
    return expression.test(activation);
  }

  /**
   * As {@link #evaluate(Activation)}, with the values from another resolver: a draft rule tested
   * against a pasted event or backtested against the journal, outside the decision path.
   */
  public boolean evaluate(CelVariableResolver resolver) throws CelEvaluationException {
    return expression.test(resolver);
  }

  /** The reason template with every {name} replaced by the resolver's value. */
  public String message(CelVariableResolver resolver) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < templateParts.size(); i++) {
      String part = templateParts.get(i);
      if (i % 2 == 0) sb.append(part);
      else sb.append(Activation.display(resolver.find(part).orElse(null)));
    }
    return sb.toString();
  }

  /** The values this rule read, by name. */
  public Map<String, Object> values(Activation activation) {
    return expression.values(activation);
  }

  /** The reason template with every {name} replaced by its value. */
  public String message(Activation activation) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < templateParts.size(); i++) {
      String part = templateParts.get(i);
      if (i % 2 == 0) sb.append(part);
      else sb.append(Activation.display(activation.value(part)));
    }
    return sb.toString();
  }
}
