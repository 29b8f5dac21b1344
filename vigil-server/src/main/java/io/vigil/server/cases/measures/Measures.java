package io.vigil.server.cases.measures;

import java.util.List;
import java.util.Map;

/**
 * The measures of the review loop over decisions made and cases opened in [from, to): how often an
 * interception was wrong, how much goes to people, how fast they work, whether deadlines hold.
 *
 * @param decisions every decision made in the range
 * @param reviewed of those, the ones that opened or joined a case
 * @param openPastDueNow cases not closed whose due time has passed, now (whatever the range)
 * @param verdicts closed cases of the range by verdict
 */
public record Measures(long fromMillis, long toMillis, Rate interceptions, List<Rate> byRule, List<Rate> byQueue, long decisions,
    long reviewed, List<Throughput> reviewers, Attainment sla, List<Attainment> slaByQueue, long breached, long openPastDueNow,
    Map<String, Long> verdicts, Sampling sampling) {

  /** The target of the false-interception rate and of the manual review share. */
  public static final double TARGET = 0.05;

  public Measures {
    byRule = List.copyOf(byRule);
    byQueue = List.copyOf(byQueue);
    reviewers = List.copyOf(reviewers);
    slaByQueue = List.copyOf(slaByQueue);
    verdicts = Map.copyOf(verdicts);
  }

  /** Decisions that opened or joined a case over all decisions; null without decisions. */
  public Double reviewShare() {
    return decisions == 0 ? null : (double) reviewed / decisions;
  }

  /**
   * Intercepted decisions (DENY, CHALLENGE, REVIEW, HOLD) of a rule, a queue or all, and what became
   * known of them: {@code judged} have a conclusive case verdict or a fraud/legitimate label,
   * {@code legitimate} of those were found legitimate.
   */
  public record Rate(String key, long intercepted, long judged, long legitimate) {
    public Rate {
      assert judged <= intercepted && legitimate <= judged : intercepted + " / " + judged + " / " + legitimate;
    }

    /** The false-interception rate: legitimate over judged; null while nothing is judged. */
    public Double rate() {
      return judged == 0 ? null : (double) legitimate / judged;
    }

    /** Whether the rate is at most the target; null while nothing is judged. */
    public Boolean met() {
      Double r = rate();
      return r == null ? null : r <= TARGET;
    }
  }

  /**
   * A reviewer's closed cases of the range, the handling time (last assignment to close) by nearest
   * rank, and the cases they hold open now.
   */
  public record Throughput(String reviewerId, long closed, Long handlingMillisMedian, Long handlingMillisP90, long openNow) {}

  /** Closed cases of the range (all, or of a queue) and how many closed by their due time. */
  public record Attainment(String key, long closed, long closedInTime) {
    /** Share closed in time; null without closed cases. */
    public Double share() {
      return closed == 0 ? null : (double) closedInTime / closed;
    }
  }

  /**
   * Allowed decisions of the range drawn for review: how many, how many judged (a conclusive case
   * verdict or a label), and how many of those were fraud (the false negatives the sample finds).
   */
  public record Sampling(long sampled, long judged, long fraud) {
    public Double fraudShare() {
      return judged == 0 ? null : (double) fraud / judged;
    }
  }
}
