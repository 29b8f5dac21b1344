package io.vigil.server.cases.measures;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The daily interception review as a plain-text e-mail: the same figures as {@code GET /v1/cases/daily-review}. */
public final class DailyReviewMail {
  private DailyReviewMail() {}

  public static String subject(DailyReview d) {
    return "Vigil daily interception review for " + d.date();
  }

  public static String body(DailyReview d) {
    StringBuilder b = new StringBuilder();
    b.append("Vigil daily interception review for ").append(d.date()).append(" (00:00 to 24:00 UTC)\n\n");
    b.append("Intercepted: ").append(d.interceptions().intercepted()).append('\n');
    for (Map.Entry<String, Long> e : new TreeMap<>(d.byAction()).entrySet()) {
      b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    b.append("\nBy queue (decisions in cases):\n");
    if (d.byQueue().isEmpty()) b.append("  none\n");
    for (Measures.Rate r : d.byQueue()) b.append("  ").append(r.key()).append(": ").append(r.intercepted()).append('\n');
    b.append("\nFound so far: ").append(d.interceptions().judged()).append(" judged, ").append(d.interceptions().legitimate())
        .append(" legitimate; false-interception rate ").append(rate(d.interceptions())).append('\n');
    b.append("Case verdicts: ");
    b.append(String.join(", ", MeasuresJson.verdicts(d.verdicts()).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
    b.append("\n\nRules with the worst false-interception rates:\n");
    if (d.worstRules().isEmpty()) b.append("  none judged yet\n");
    for (Measures.Rate r : d.worstRules()) {
      b.append("  ").append(r.key()).append(": ").append(rate(r)).append(" (").append(r.legitimate()).append(" legitimate of ")
          .append(r.judged()).append(" judged, ").append(r.intercepted()).append(" intercepted)\n");
    }
    b.append("\nCases still open: ").append(d.stillOpenCount()).append('\n');
    for (DailyReview.OpenCase c : d.stillOpen()) {
      b.append("  ").append(c.caseId()).append("  ").append(c.queueId()).append("  ").append(c.status()).append("  priority ")
          .append(c.priority()).append("  due ").append(Instant.ofEpochMilli(c.dueAtMillis())).append("  ")
          .append(c.assigneeId() == null ? "unassigned" : c.assigneeId()).append('\n');
    }
    if (d.stillOpen().size() < d.stillOpenCount()) {
      b.append("  … and ").append(d.stillOpenCount() - d.stillOpen().size()).append(" more\n");
    }
    b.append("\nTarget: at most 5 % of judged interceptions found legitimate.\n");
    return b.toString();
  }

  /** A rate as a percentage with one decimal and whether it meets the target, or "none judged". */
  private static String rate(Measures.Rate r) {
    if (r.rate() == null) return "none judged";
    return String.format(Locale.ROOT, "%.1f %%", r.rate() * 100) + (Boolean.TRUE.equals(r.met()) ? " (target met)" : " (over the 5 % target)");
  }
}
