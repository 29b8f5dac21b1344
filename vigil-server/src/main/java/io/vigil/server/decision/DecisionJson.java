package io.vigil.server.decision;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.release.Counterfactual;
import io.vigil.engine.release.ReleaseOutcome;
import io.vigil.engine.release.Side;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.privacy.SealedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The decision response body, and the journal columns derived from a decision. */
public final class DecisionJson {
  private DecisionJson() {}

  /** @param restrictionsSet the restrictions firing rules set, as stored */
  public static String response(String decisionId, String eventId, Decision d,
      List<io.vigil.engine.restriction.Restriction> restrictionsSet, long latencyMicros) {
    return response(decisionId, eventId, d, restrictionsSet, latencyMicros, null);
  }

  /** As above, with how a running release met the decision ({@code release}, null when none ran). */
  public static String response(String decisionId, String eventId, Decision d,
      List<io.vigil.engine.restriction.Restriction> restrictionsSet, long latencyMicros, ReleaseOutcome release) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("decision_id", decisionId);
    body.put("event_id", eventId);
    body.put("action", d.action().name());
    body.put("score", d.score());
    body.put("risk_level", d.riskLevel().wireName());
    List<Map<String, Object>> reasons = new ArrayList<>(d.reasons().size());
    for (Reason r : d.reasons()) {
      Map<String, Object> reason = new LinkedHashMap<>();
      reason.put("rule_id", r.ruleId());
      reason.put("message", r.message());
      if (r.points() != null) reason.put("points", r.points());
      if (r.action() != null) reason.put("action", r.action().name());
      reason.put("values", r.values());
      reasons.add(reason);
    }
    body.put("reasons", reasons);
    if (d.challengeKind() != null) body.put("challenge", Map.of("kind", d.challengeKind()));
    if (d.hold() != null) body.put("hold", hold(d.hold()));
    if (!d.limits().isEmpty()) body.put("limits", d.limits().stream().map(DecisionJson::limit).toList());
    if (!restrictionsSet.isEmpty()) {
      body.put("restrictions_set", restrictionsSet.stream().map(r -> Map.of("restriction_id", r.id(), "kind", r.kind().wireName(),
          "expires_at", java.time.Instant.ofEpochMilli(r.expiresAtMillis()).toString(), "rule_id", r.createdBy().substring("rule:".length())))
          .toList());
    }
    io.vigil.engine.model.ModelOutcome m = d.model();
    body.put("scores", Map.of("rules", d.rulesScore(), "model", m == null ? 0 : m.modelScore()));
    if (m != null && (m.scored() || m.challengerId() != null)) body.put("model", model(m));
    body.put("policy_version", d.policyVersion());
    body.put("reference_version", d.referenceVersion());
    if (!d.ruleErrors().isEmpty()) {
      body.put("rule_errors", d.ruleErrors().stream()
          .map(e -> Map.of("rule_id", e.ruleId(), "message", e.message())).toList());
    }
    if (release != null) body.put("release", release(release));
    body.put("latency_micros", latencyMicros);
    return Json.write(body);
  }

  /**
   * The release's record on the decision: its id, the side that acted, the versions of both
   * sides, and what the other side would have decided (recorded, never acted on).
   */
  private static Map<String, Object> release(ReleaseOutcome r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.releaseId());
    m.put("side", r.side().wireName());
    m.put("policy_version", r.actingPolicyVersion());
    m.put("live_policy_version", r.livePolicyVersion());
    m.put("candidate_policy_version", r.candidatePolicyVersion());
    Counterfactual o = r.other();
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("side", (r.side() == Side.LIVE ? Side.CANDIDATE : Side.LIVE).wireName());
    other.put("policy_version", o.policyVersion());
    other.put("action", o.action().name());
    other.put("score", o.score());
    other.put("rules_fired", o.rulesFired());
    m.put("other", other);
    return m;
  }

  /** A HOLD's terms, stored in the response: the approvals route reads them back from the journal. */
  private static Map<String, Object> hold(Decision.Hold h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", h.policy().id());
    m.put("approvals_required", h.policy().approvalsRequired());
    m.put("required_roles", new java.util.TreeMap<>(h.policy().requiredRoles()));
    m.put("deadline", java.time.Instant.ofEpochMilli(h.deadlineMillis()).toString());
    m.put("expiry_action", h.policy().expiryAction().name());
    return m;
  }

  /** The live model's verdict with its top features, and the shadow's probability (never acted on). */
  private static Map<String, Object> model(io.vigil.engine.model.ModelOutcome m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (m.scored()) {
      out.put("version", m.modelId());
      out.put("probability", round(m.probability()));
      out.put("top_features", m.topFeatures().stream().map(f -> {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("feature", f.feature());
        t.put("value", round(f.value()));
        t.put("contribution", round(f.contribution()));
        return t;
      }).toList());
    }
    if (m.challengerId() != null) out.put("shadow", Map.of("version", m.challengerId(), "probability", round(m.challengerProbability())));
    out.put("schema", m.schema().id());
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** Which limit applied, what is left after this event, and when the period resets. */
  private static Map<String, Object> limit(io.vigil.engine.limit.LimitUsage u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_id", u.limit().id());
    m.put("period", u.limit().period().wireName());
    m.put("currency", u.limit().currency());
    m.put("limit_minor", u.capMinor());
    m.put("used_minor", u.usedMinor());
    m.put("remaining_minor", u.remainingMinor());
    if (u.resetsAtMillis() != 0) m.put("resets_at", java.time.Instant.ofEpochMilli(u.resetsAtMillis()).toString());
    m.put("breached", u.breached());
    return m;
  }

  public static JournalRow row(JournalRecord record, Event e, Decision d) {
    return new JournalRow(record, e.type().wireName(), e.accountId(), e.merchantId(), e.occurredAtMillis(),
        d.action().name(), d.score(), d.riskLevel().wireName(), e.hasAmount() ? e.amountMinor() : null, e.currency());
  }

  /** Re-derives a row's query columns from its stored JSON (what the verifier compares). */
  public static JournalRow derive(JournalRecord record) {
    // The derived columns hold no personal field: the sealed part is left out, so no key is needed.
    Event e = EventParser.parse(SealedEvent.strip(record.eventJson()));
    Map<String, Object> response = Json.readMap(record.responseJson());
    return new JournalRow(record, e.type().wireName(), e.accountId(), e.merchantId(), e.occurredAtMillis(),
        String.valueOf(response.get("action")), ((Number) response.get("score")).intValue(),
        String.valueOf(response.get("risk_level")).toLowerCase(Locale.ROOT),
        e.hasAmount() ? e.amountMinor() : null, e.currency());
  }
}
