package io.vigil.server.console.dashboard;

import io.vigil.engine.policy.Action;
import io.vigil.server.feedback.FeedbackRepository;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Assembles what the dashboard shows for a range: the in-memory counts ({@link DashboardCounts}),
 * plus bounded reads of the store: the labels of intercepted decisions in the range (by the labels'
 * time index, {@link FeedbackRepository#newestVerdicts}) and their decisions by id, and the pending
 * holds, read as the Holds inbox reads them ({@link HoldService#recent}, {@link HoldService#states},
 * at most {@link #HOLDS_READ_MAX}) so that both count the same holds.
 */
@Component
public class DashboardStats {
  /** Review rate target: at most 5 % of decisions go to REVIEW or HOLD. */
  static final double REVIEW_RATE_TARGET = 0.05;
  /** False-interception target: under 5 % of labelled intercepted decisions were legitimate. */
  static final double FALSE_INTERCEPTION_TARGET = 0.05;
  /** HOLD decisions read to count the pending ones (the inbox's scan); more are shown as "at least". */
  static final int HOLDS_READ_MAX = HoldService.INBOX_ROWS_MAX;
  /** Labels read for the false-interception rate: the newest ones; the rate is of their decisions. */
  static final int LABELS_READ_MAX = 5_000;
  /** Rules in the top-rules table. */
  static final int TOP_RULES = 10;
  /** Days of the rules' baseline. */
  static final int BASELINE_DAYS = 7;
  /** A label may be known before its decision was recorded (a late event): labels this much older count too. */
  static final long LABEL_LEAD_MILLIS = MinuteCounts.DAY_MILLIS;
  /** Decision ids looked up per query (by the journal's decision id index). */
  static final int IDS_PER_QUERY_MAX = JournalRepository.DECISION_IDS_PER_CALL_MAX;

  static {
    if (BASELINE_DAYS + 1 > MinuteCounts.DAYS) throw new AssertionError("the counters hold today and the baseline's days");
  }

  /** A rate card: the value shown, its css class (met / breach against a target, or plain) and a detail line. */
  record Rate(String shown, String css, String detail) {}

  /** One row of the top rules: fires today so far, the mean fires a day over the days before, the change. */
  record RuleRow(String ruleId, long today, String baseline, String change) {}

  private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /** Everything the stat fragment shows; {@code updatedAt} as shown (UTC, to the second). */
  record Stats(DashboardRange range, long total, Map<String, Long> byAction, Rate interception, Rate review,
      Rate falseInterception, String latencyP50, String latencyP99, String pendingHolds, long inReview, long inHold,
      List<RuleRow> topRules, String note, String updatedAt) {}

  private final DashboardCounts counts;
  private final JournalRepository journal;
  private final FeedbackRepository labels;
  private final HoldService holds;

  public DashboardStats(DashboardCounts counts, JournalRepository journal, HoldService holds, DataSource dataSource) {
    this.counts = counts;
    this.journal = journal;
    this.holds = holds;
    this.labels = new FeedbackRepository(dataSource);
  }

  /** The counts of the range ending now, in its chart's steps. */
  MinuteCounts.Window window(DashboardRange range, long nowMillis) {
    long toMinute = Math.floorDiv(nowMillis, MinuteCounts.MINUTE_MILLIS) + 1;
    long from = (toMinute - range.minutes) * MinuteCounts.MINUTE_MILLIS;
    return counts.read(from, toMinute * MinuteCounts.MINUTE_MILLIS, range.stepMinutes);
  }

  long now() {
    return counts.now();
  }

  Stats stats(DashboardRange range) {
    long now = counts.now();
    MinuteCounts.Window w = window(range, now);
    long total = w.total();
    Map<String, Long> byAction = new LinkedHashMap<>();
    for (Action a : Action.values()) byAction.put(a.name(), w.of(a));
    long intercepted = total - w.of(Action.ALLOW);
    long reviewed = w.of(Action.REVIEW) + w.of(Action.HOLD);
    Rate interception = new Rate(percent(intercepted, total), "stat", intercepted + " of " + total + " not ALLOW");
    Rate review = total == 0 ? new Rate("–", "stat", "no decisions in the range")
        : new Rate(percent(reviewed, total), metClass((double) reviewed / total <= REVIEW_RATE_TARGET),
            reviewed + " of " + total + " to REVIEW or HOLD; target at most 5 %");
    double p50 = MinuteCounts.percentileMillis(w.latencyBins(), 0.50);
    double p99 = MinuteCounts.percentileMillis(w.latencyBins(), 0.99);
    return new Stats(range, total, byAction, interception, review, falseInterception(w), millis(p50), millis(p99),
        pendingHolds(), w.of(Action.REVIEW), w.of(Action.HOLD), topRules(now), note(w), SHOWN_TIME.format(Instant.ofEpochMilli(now)));
  }

  static String metClass(boolean met) {
    return met ? "stat met" : "stat breach";
  }

  static String percent(long part, long whole) {
    if (whole == 0) return "–";
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  private static String millis(double ms) {
    if (Double.isNaN(ms)) return "–";
    return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  /**
   * Intercepted decisions of the range labelled legitimate, over those labelled fraud or legitimate
   * (a decision's latest label counts). Reads the newest labels first, then their decisions by id in
   * batches: bounded by the labels, never a scan of the range's decisions.
   */
  private Rate falseInterception(MinuteCounts.Window w) {
    Map<String, String> latest = new LinkedHashMap<>();
    List<FeedbackRepository.DecisionVerdict> newest = labels.newestVerdicts(w.fromMillis() - LABEL_LEAD_MILLIS, LABELS_READ_MAX);
    for (FeedbackRepository.DecisionVerdict l : newest) latest.putIfAbsent(l.decisionId(), l.verdict()); // newest first: the first is the latest
    List<String> ids = new ArrayList<>(latest.keySet());
    long labelled = 0;
    long legitimate = 0;
    for (int i = 0; i < ids.size(); i += IDS_PER_QUERY_MAX) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + IDS_PER_QUERY_MAX));
      for (String id : journal.interceptedAmong(batch, w.fromMillis(), w.toMillis())) {
        labelled++;
        if ("legitimate".equals(latest.get(id))) legitimate++;
      }
    }
    String capped = newest.size() == LABELS_READ_MAX ? " (among the newest " + LABELS_READ_MAX + " labels)" : "";
    if (labelled == 0) return new Rate("–", "stat", "no intercepted decision in the range is labelled yet" + capped);
    return new Rate(percent(legitimate, labelled), metClass((double) legitimate / labelled < FALSE_INTERCEPTION_TARGET),
        legitimate + " of " + labelled + " labelled intercepted decisions were legitimate" + capped + "; target under 5 %");
  }

  /** HOLD decisions awaiting approval: those the Holds inbox shows as pending (within their deadline, neither approved nor rejected). */
  private String pendingHolds() {
    List<JournalRow> rows = holds.recent(null, HOLDS_READ_MAX);
    long pending = holds.states(rows).stream().filter(h -> HoldState.PENDING.equals(h.status())).count();
    return rows.size() == HOLDS_READ_MAX ? "at least " + pending : Long.toString(pending);
  }

  /** The rules that fired most today (UTC), against their mean a day over the {@link #BASELINE_DAYS} days before. */
  private List<RuleRow> topRules(long now) {
    long today = Math.floorDiv(now, MinuteCounts.DAY_MILLIS);
    Map<String, Long> fired = counts.rulesOn(today);
    Map<String, Long> before = new HashMap<>();
    for (int d = 1; d <= BASELINE_DAYS; d++) counts.rulesOn(today - d).forEach((k, v) -> before.merge(k, v, Long::sum));
    return fired.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_RULES)
        .map(e -> rule(e.getKey(), e.getValue(), before.getOrDefault(e.getKey(), 0L)))
        .sorted(Comparator.comparingLong(RuleRow::today).reversed().thenComparing(RuleRow::ruleId))
        .toList();
  }

  static RuleRow rule(String ruleId, long today, long baselineSum) {
    double baseline = (double) baselineSum / BASELINE_DAYS;
    String change = baselineSum == 0 ? "new" : String.format(Locale.ROOT, "%+.0f %%", 100.0 * (today - baseline) / baseline);
    return new RuleRow(ruleId, today, String.format(Locale.ROOT, "%.1f", baseline), change);
  }

  /** Which part of the range the numbers cover, when not all of it. */
  private String note(MinuteCounts.Window w) {
    long countedFrom = counts.countedFromMillis();
    String latency = w.fromMillis() < counts.startedAtMillis()
        ? "Latency covers decisions since the server started (" + SHOWN_TIME.format(Instant.ofEpochMilli(counts.startedAtMillis())) + ")." : "";
    if (countedFrom <= w.fromMillis()) return latency;
    return ("Counting the journal's history: decisions from " + SHOWN_TIME.format(Instant.ofEpochMilli(countedFrom)) + " on are counted so far. "
        + latency).trim();
  }
}
