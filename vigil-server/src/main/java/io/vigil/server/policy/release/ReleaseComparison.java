package io.vigil.server.policy.release;

import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.storage.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Live against candidate over one release's decisions, read from the journal: each decision's
 * response records its side and what the other policy would have decided, so the comparison is
 * exact and survives restarts. Tallies per policy (whichever side acted) and per side, the
 * decisions whose action the candidate would change, and the overlap of what both intercept.
 * {@link #refresh} reads only the rows stored since the last call, so the guard's checks cost
 * what is new. Not thread-safe: callers hold the owner's lock.
 */
final class ReleaseComparison {
  /** Labelled decisions of one release read for precision; past this precision covers the first ones. */
  static final int LABELS_MAX = 100_000;

  private final String releaseId;
  private final long startSequence;
  private long endSequence; // Long.MAX_VALUE while running
  private long lastSequence;
  private final PolicyTally live = new PolicyTally();
  private final PolicyTally candidate = new PolicyTally();
  private long liveSide;
  private long candidateSide;
  private long changed;
  private long bothIntercepted;
  private long onlyLiveIntercepted;
  private long onlyCandidateIntercepted;

  ReleaseComparison(String releaseId, long startSequence, long endSequence) {
    this.releaseId = releaseId;
    this.startSequence = startSequence;
    this.endSequence = endSequence == 0 ? Long.MAX_VALUE : endSequence;
    this.lastSequence = startSequence;
  }

  static boolean intercepts(String action) {
    return "DENY".equals(action) || "HOLD".equals(action) || "CHALLENGE".equals(action);
  }

  void end(long atSequence) {
    endSequence = atSequence;
  }

  PolicyTally live() {
    return live;
  }

  PolicyTally candidate() {
    return candidate;
  }

  /** Reads the journal rows stored since the last refresh (up to the release's end). */
  void refresh(JournalRepository journal, DataSource ds) {
    if (lastSequence >= endSequence) return;
    Map<String, String> labels = labels(ds, lastSequence, endSequence);
    long[] last = {lastSequence};
    journal.forEachAfter(lastSequence, row -> {
      long seq = row.record().sequence();
      if (seq > endSequence) return;
      last[0] = seq;
      add(row, labels.get(row.record().decisionId()));
    });
    lastSequence = last[0];
  }

  @SuppressWarnings("unchecked")
  private void add(JournalRow row, String label) {
    Map<String, Object> response = Json.readMap(row.record().responseJson());
    if (!(response.get("release") instanceof Map<?, ?> r) || !releaseId.equals(r.get("id"))) return;
    Map<String, Object> other = (Map<String, Object>) r.get("other");
    String acting = String.valueOf(response.get("action"));
    String otherAction = String.valueOf(other.get("action"));
    List<String> actingRules = new ArrayList<>();
    for (Object reason : (List<Object>) response.getOrDefault("reasons", List.of())) {
      Object id = ((Map<String, Object>) reason).get("rule_id");
      if (id != null) actingRules.add(id.toString());
    }
    List<String> otherRules = new ArrayList<>();
    for (Object id : (List<Object>) other.getOrDefault("rules_fired", List.of())) otherRules.add(String.valueOf(id));
    boolean candidateActed = "candidate".equals(r.get("side"));
    if (candidateActed) {
      candidateSide++;
      candidate.add(acting, actingRules, label);
      live.add(otherAction, otherRules, label);
    } else {
      liveSide++;
      live.add(acting, actingRules, label);
      candidate.add(otherAction, otherRules, label);
    }
    if (!acting.equals(otherAction)) changed++;
    String liveAction = candidateActed ? otherAction : acting;
    String candidateAction = candidateActed ? acting : otherAction;
    boolean l = intercepts(liveAction);
    boolean c = intercepts(candidateAction);
    if (l && c) bothIntercepted++;
    else if (l) onlyLiveIntercepted++;
    else if (c) onlyCandidateIntercepted++;
  }

  /** Fraud-or-legitimate labels of the decisions in (after, until], newest label per decision, bounded. */
  private static Map<String, String> labels(DataSource ds, long after, long until) {
    Map<String, String> out = new HashMap<>();
    String sql = "SELECT f.decision_id, f.verdict FROM feedback_labels f JOIN decisions d ON d.decision_id = f.decision_id"
        + " WHERE d.sequence > ? AND d.sequence <= ? AND f.verdict IN ('fraud', 'legitimate')"
        + " ORDER BY f.known_at_millis, f.label_id LIMIT " + LABELS_MAX;
    for (String[] r : Sql.list(ds, sql, ps -> {
      ps.setLong(1, after);
      ps.setLong(2, until);
    }, rs -> new String[] {rs.getString(1), rs.getString(2)}, "reading labels of a release failed")) {
      out.put(r[0], r[1]);
    }
    return out;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from_sequence", startSequence + 1);
    m.put("through_sequence", lastSequence);
    m.put("decisions", liveSide + candidateSide);
    m.put("decisions_live_side", liveSide);
    m.put("decisions_candidate_side", candidateSide);
    m.put("action_changed", changed);
    Map<String, Object> overlap = new LinkedHashMap<>();
    overlap.put("both_intercepted", bothIntercepted);
    overlap.put("only_live_intercepted", onlyLiveIntercepted);
    overlap.put("only_candidate_intercepted", onlyCandidateIntercepted);
    m.put("overlap", overlap);
    m.put("live", live.json());
    m.put("candidate", candidate.json());
    return m;
  }
}
