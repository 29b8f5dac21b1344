package io.vigil.engine.scorecard;

import io.vigil.engine.Limits;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.rule.Activation;
import io.vigil.engine.rule.CompiledExpression;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.engine.rule.RuleCompiler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A scorecard with every expression compiled; immutable. */
public final class CompiledScorecard {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /**
   * What a scorecard made of one event: the action it forces (null when it admits or does not
   * apply), its reasons, and the score (-1 when the pre-filter rejected or it did not apply).
   */
  public record Outcome(Action forced, List<Reason> reasons, int score, String error) {
    static final Outcome NOT_APPLICABLE = new Outcome(null, List.of(), -1, null);

    public boolean applied() {
      return !reasons.isEmpty();
    }
  }

  private final ScorecardDefinition definition;
  private final CompiledExpression when;
  private final List<CompiledExpression> checks;
  private final List<CompiledExpression> factors;

  private CompiledScorecard(ScorecardDefinition definition, CompiledExpression when,
      List<CompiledExpression> checks, List<CompiledExpression> factors) {
    this.definition = definition;
    this.when = when;
    this.checks = List.copyOf(checks);
    this.factors = List.copyOf(factors);
  }

  public ScorecardDefinition definition() {
    return definition;
  }

  public static CompiledScorecard compile(ScorecardDefinition d, RuleCompiler compiler) {
    checkShape(d);
    CompiledExpression when = d.when() == null || d.when().isBlank() ? null
        : compiler.compileExpression(d.id(), "when", d.when(), false);
    List<CompiledExpression> checks = new ArrayList<>();
    for (int i = 0; i < d.prefilter().size(); i++) {
      checks.add(compiler.compileExpression(d.id(), "prefilter[" + i + "].expression", d.prefilter().get(i).expression(), false));
    }
    List<CompiledExpression> factors = new ArrayList<>();
    for (int i = 0; i < d.factors().size(); i++) {
      factors.add(compiler.compileExpression(d.id(), "factors[" + i + "].expression", d.factors().get(i).expression(), true));
    }
    return new CompiledScorecard(d, when, checks, factors);
  }

  private static void checkShape(ScorecardDefinition d) {
    if (d.id() == null || !NAME.matcher(d.id()).matches()) throw problem(d, "id", "an id is lower-case letters, digits and underscores");
    if (d.prefilter().size() > ScorecardDefinition.CHECKS_MAX) throw problem(d, "prefilter", "at most " + ScorecardDefinition.CHECKS_MAX + " checks");
    if (d.factors().isEmpty() || d.factors().size() > ScorecardDefinition.FACTORS_MAX) {
      throw problem(d, "factors", "a scorecard has 1 to " + ScorecardDefinition.FACTORS_MAX + " factors");
    }
    Set<String> names = new HashSet<>();
    int total = 0;
    for (int i = 0; i < d.factors().size(); i++) {
      ScorecardDefinition.Factor f = d.factors().get(i);
      if (f.name() == null || !NAME.matcher(f.name()).matches() || !names.add(f.name())) {
        throw problem(d, "factors", "factor names are unique lower-case identifiers");
      }
      if (f.weight() <= 0 || f.weight() > ScorecardDefinition.WEIGHT_TOTAL) {
        throw problem(d, "factors[" + i + "].weight", "a factor's weight must be between 1 and " + ScorecardDefinition.WEIGHT_TOTAL);
      }
      total += f.weight();
    }
    if (total != ScorecardDefinition.WEIGHT_TOTAL) {
      throw problem(d, "factors", "weights must sum to " + ScorecardDefinition.WEIGHT_TOTAL + ", not " + total);
    }
    if (d.description() != null && d.description().length() > Limits.RULE_TEXT_CHARS_MAX) {
      throw problem(d, "description", "description is at most " + Limits.RULE_TEXT_CHARS_MAX + " characters");
    }
    for (int i = 0; i < d.prefilter().size(); i++) {
      ScorecardDefinition.Check c = d.prefilter().get(i);
      if (c.message() == null || c.message().isBlank() || c.message().length() > Limits.RULE_TEXT_CHARS_MAX) {
        throw problem(d, "prefilter[" + i + "].message",
            "a check's message of 1 to " + Limits.RULE_TEXT_CHARS_MAX + " characters is required");
      }
      if (c.name() == null || !NAME.matcher(c.name()).matches() || !names.add(c.name())) {
        throw problem(d, "prefilter", "check names are unique lower-case identifiers, distinct from factor names");
      }
    }
    if (d.reviewAtScore() < 0 || d.reviewAtScore() > d.admitAtScore() || d.admitAtScore() > 100) {
      throw problem(d, "admit_at", "need 0 ≤ review_at ≤ admit_at ≤ 100");
    }
  }

  /** Runs the scorecard on one event. Never throws: a failing expression rejects to REVIEW. */
  public Outcome evaluate(Activation a, io.vigil.engine.event.EventType type) {
    String prefix = "scorecard." + definition.id();
    try {
      if (!definition.appliesTo(type) || (when != null && !when.test(a))) return Outcome.NOT_APPLICABLE;
      for (int i = 0; i < checks.size(); i++) {
        if (checks.get(i).test(a)) continue;
        ScorecardDefinition.Check check = definition.prefilter().get(i);
        return new Outcome(Action.DENY, List.of(new Reason(prefix + ".prefilter." + check.name(),
            "Rejected by the " + definition.id() + " pre-filter at " + check.name() + ": " + check.message(),
            null, Action.DENY, checks.get(i).values(a))), -1, null);
      }
      return score(a, prefix);
    } catch (Exception e) {
      String message = "scorecard " + definition.id() + " failed: " + e.getMessage();
      return new Outcome(Action.REVIEW, List.of(new Reason(prefix, message, null, Action.REVIEW, Map.of())), -1, message);
    }
  }

  private Outcome score(Activation a, String prefix) throws Exception {
    List<Reason> reasons = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < factors.size(); i++) {
      ScorecardDefinition.Factor f = definition.factors().get(i);
      double credit = Math.max(0.0, Math.min(1.0, factors.get(i).number(a)));
      double points = f.weight() * credit;
      total += points;
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("weight", (long) f.weight());
      values.put("credit", credit);
      values.put("points", points);
      values.putAll(factors.get(i).values(a));
      reasons.add(new Reason(prefix + ".factor." + f.name(),
          String.format(Locale.ROOT, "%s: %.1f of %d points", f.name(), points, f.weight()), null, null, values));
    }
    int score = (int) Math.round(total);
    Action forced = score >= definition.admitAtScore() ? null : score >= definition.reviewAtScore() ? Action.REVIEW : Action.DENY;
    String verdict = forced == null ? "admitted (≥ " + definition.admitAtScore() + ")"
        : forced == Action.REVIEW ? "borderline, to review (" + definition.reviewAtScore() + "–" + (definition.admitAtScore() - 1) + ")"
        : "not admitted (< " + definition.reviewAtScore() + ")";
    reasons.add(0, new Reason(prefix, "Score " + score + " of 100 on " + definition.id() + ": " + verdict, null,
        forced, Map.of("score", (long) score, "admit_at", (long) definition.admitAtScore())));
    return new Outcome(forced, List.copyOf(reasons), score, null);
  }

  private static RuleCompileException problem(ScorecardDefinition d, String param, String message) {
    return new RuleCompileException(d.id() == null ? "(no id)" : d.id(), param, List.of(new RuleCompileException.Issue(0, 0, message)));
  }
}
