package io.vigil.engine.rule;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compiled CEL expression: a rule's condition, or a scorecard check or factor. */
public final class CompiledExpression {
  private final CelRuntime.Program program;
  private final List<String> referencedNames;

  CompiledExpression(CelRuntime.Program program, List<String> referencedNames) {
    this.program = program;
    this.referencedNames = List.copyOf(referencedNames);
  }

  /** The declared names the expression (and, for a rule, its reason) reads. */
  public List<String> referencedNames() {
    return referencedNames;
  }

  public boolean test(Activation activation) throws CelEvaluationException {
    return Boolean.TRUE.equals(program.eval(activation));
  }

  /** As {@link #test(Activation)}, with the values from another resolver (a draft rule's test or backtest). */
  public boolean test(CelVariableResolver resolver) throws CelEvaluationException {
    return Boolean.TRUE.equals(program.eval(resolver));
  }

  public double number(Activation activation) throws CelEvaluationException {
    Object value = program.eval(activation);
    if (!(value instanceof Double d) || !Double.isFinite(d)) {
      throw new IllegalStateException("the expression gave " + value + ", not a finite number");
    }
    return d;
  }

  /** The values the expression read, by name. */
  public Map<String, Object> values(Activation activation) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String name : referencedNames) {
      Object v = activation.value(name);
      if (v != null && !name.equals("event.attributes")) values.put(name, v);
    }
    return values;
  }
}
