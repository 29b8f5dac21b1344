package io.vigil.engine.policy;

import java.util.Map;

/**
 * Why a decision came out as it did: a rule that fired (with points or a forced action) or a list
 * entry that matched. {@code values} holds the feature and event values the rule read.
 */
public record Reason(String ruleId, String message, Integer points, Action action, Map<String, Object> values) {}
