package io.vigil.server.console.cases;

import io.vigil.server.cases.measures.Measures;
import java.util.List;
import java.util.Locale;

/**
 * The review loop's measures as the dashboard's review panel shows them: one card each for the
 * false-interception rate and the manual review share (each against its 5 % target), the SLA
 * attainment and the deadlines breached. Whether a target is met is said in words, not only by the
 * card's colour.
 */
public final class ReviewMeasureCards {
  /** Shown instead of a share that has nothing to divide by. */
  static final String NONE = "–";
  static final String MET = "Target met";
  static final String MISSED = "Over the target";
  static final String NOT_YET = "Nothing to measure yet";

  private ReviewMeasureCards() {}

  /**
   * One card: {@code status} is {@link #MET}, {@link #MISSED}, {@link #NOT_YET} or null for a figure
   * without a target; {@code css} the card's classes (green when met, red when not).
   */
  public record Card(String id, String label, String shown, String status, String detail, String css) {}

  static List<Card> of(Measures m) {
    return List.of(falseInterception(m.interceptions()), reviewShare(m), attainment(m), breached(m));
  }

  private static Card falseInterception(Measures.Rate r) {
    String label = "False-interception rate (target ≤ 5 %)";
    if (r.rate() == null) {
      return new Card("measure-false-interception", label, NONE, NOT_YET,
          r.intercepted() + " intercepted; none has a verdict or label yet", "stat");
    }
    return new Card("measure-false-interception", label, percent(r.rate()), status(r.met()),
        r.legitimate() + " of " + r.judged() + " judged interceptions were legitimate (" + r.intercepted() + " intercepted)",
        css(r.met()));
  }

  private static Card reviewShare(Measures m) {
    String label = "Manual review share (target ≤ 5 %)";
    Double share = m.reviewShare();
    if (share == null) return new Card("measure-review-share", label, NONE, NOT_YET, "no decisions in the last 7 days", "stat");
    boolean met = share <= Measures.TARGET;
    return new Card("measure-review-share", label, percent(share), status(met),
        m.reviewed() + " of " + m.decisions() + " decisions went to a case", css(met));
  }

  private static Card attainment(Measures m) {
    String label = "SLA attainment";
    Double share = m.sla().share();
    if (share == null) return new Card("measure-sla", label, NONE, null, "no case opened in the last 7 days is closed yet", "stat");
    return new Card("measure-sla", label, percent(share), null,
        m.sla().closedInTime() + " of " + m.sla().closed() + " cases opened in the last 7 days and closed were closed by their due time", "stat");
  }

  private static Card breached(Measures m) {
    return new Card("measure-breached", "Deadlines breached", Long.toString(m.breached()), null,
        "Cases opened in the last 7 days that breached their deadline. Open and past due now: " + m.openPastDueNow() + ".",
        m.breached() > 0 || m.openPastDueNow() > 0 ? "stat breach" : "stat");
  }

  private static String status(boolean met) {
    return met ? MET : MISSED;
  }

  private static String css(boolean met) {
    return met ? "stat met" : "stat breach";
  }

  /** A share as the dashboard shows it: one decimal, a space before the sign. */
  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * share);
  }
}
