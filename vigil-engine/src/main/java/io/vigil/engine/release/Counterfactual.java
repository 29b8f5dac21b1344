package io.vigil.engine.release;

import io.vigil.engine.policy.Action;
import java.util.List;

/**
 * What the policy that did not act would have decided on the same event and the same state: its
 * action, score and the rules and scorecards that fired. Never acted on. Limits are left out (they
 * reserve amounts, which only the acting policy may do).
 */
public record Counterfactual(long policyVersion, Action action, int score, List<String> rulesFired) {}
