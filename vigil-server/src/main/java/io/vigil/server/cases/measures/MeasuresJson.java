package io.vigil.server.cases.measures;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The measures and the daily review as the API writes them. */
final class MeasuresJson {
  private MeasuresJson() {}

  static Map<String, Object> measures(Measures m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", time(m.fromMillis()));
    out.put("to", time(m.toMillis()));
    Map<String, Object> fi = new LinkedHashMap<>();
    fi.put("overall", rate(m.interceptions(), null));
    fi.put("by_rule", m.byRule().stream().map(r -> rate(r, "rule_id")).toList());
    fi.put("by_queue", m.byQueue().stream().map(r -> rate(r, "queue_id")).toList());
    out.put("false_interception", fi);
    Map<String, Object> review = new LinkedHashMap<>();
    review.put("decisions", m.decisions());
    review.put("reviewed", m.reviewed());
    review.put("share", m.reviewShare());
    review.put("target", Measures.TARGET);
    review.put("met", m.reviewShare() == null ? null : m.reviewShare() <= Measures.TARGET);
    out.put("manual_review", review);
    out.put("reviewers", m.reviewers().stream().map(MeasuresJson::throughput).toList());
    Map<String, Object> sla = new LinkedHashMap<>();
    sla.putAll(attainment(m.sla(), null));
    sla.put("by_queue", m.slaByQueue().stream().map(a -> attainment(a, "queue_id")).toList());
    sla.put("cases_breached", m.breached());
    sla.put("cases_open_past_due_now", m.openPastDueNow());
    out.put("sla", sla);
    out.put("verdicts", verdicts(m.verdicts()));
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("sampled", m.sampling().sampled());
    sampling.put("judged", m.sampling().judged());
    sampling.put("fraud", m.sampling().fraud());
    sampling.put("fraud_share", m.sampling().fraudShare());
    out.put("sampling", sampling);
    return out;
  }

  static Map<String, Object> rate(Measures.Rate r, String keyName) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (keyName != null) m.put(keyName, r.key());
    m.put("intercepted", r.intercepted());
    m.put("judged", r.judged());
    m.put("legitimate", r.legitimate());
    m.put("rate", r.rate());
    m.put("target", Measures.TARGET);
    m.put("met", r.met());
    return m;
  }

  private static Map<String, Object> throughput(Measures.Throughput t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reviewer_id", t.reviewerId());
    m.put("cases_closed", t.closed());
    m.put("handling_millis_median", t.handlingMillisMedian());
    m.put("handling_millis_p90", t.handlingMillisP90());
    m.put("cases_open_now", t.openNow());
    return m;
  }

  private static Map<String, Object> attainment(Measures.Attainment a, String keyName) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (keyName != null) m.put(keyName, a.key());
    m.put("closed", a.closed());
    m.put("closed_in_time", a.closedInTime());
    m.put("attainment", a.share());
    return m;
  }

  /** Every verdict with its count, zero included, in a stable order. */
  static Map<String, Long> verdicts(Map<String, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String v : new String[] {"confirmed_fraud", "legitimate", "inconclusive"}) out.put(v, counts.getOrDefault(v, 0L));
    return out;
  }

  static Map<String, Object> daily(DailyReview d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("date", d.date().toString());
    out.put("intercepted_by_action", new TreeMap<>(d.byAction()));
    out.put("intercepted_by_queue", d.byQueue().stream().map(r -> rate(r, "queue_id")).toList());
    out.put("interceptions", rate(d.interceptions(), null));
    out.put("verdicts", verdicts(d.verdicts()));
    out.put("worst_rules", d.worstRules().stream().map(r -> rate(r, "rule_id")).toList());
    out.put("cases_still_open", d.stillOpenCount());
    out.put("open_cases", d.stillOpen().stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("case_id", c.caseId());
      m.put("queue_id", c.queueId());
      m.put("status", c.status());
      m.put("priority", c.priority());
      m.put("assignee_id", c.assigneeId());
      m.put("due_at", time(c.dueAtMillis()));
      return m;
    }).toList());
    return out;
  }

  private static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
