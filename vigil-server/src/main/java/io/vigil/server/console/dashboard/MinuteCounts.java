package io.vigil.server.console.dashboard;

import io.vigil.engine.policy.Action;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's counters: decisions per minute of decision time, by action, score bin and latency
 * bin, for the last {@link #MINUTES} minutes, and the rules that fired per UTC day for the last
 * {@link #DAYS} days.
 *
 * <p>A ring of fixed slots, one per minute (slot = minute mod {@link #MINUTES}); a slot holding an
 * older minute is cleared when a newer minute takes it, and a count for a minute older than the
 * slot's is dropped (it fell out of the ring). Nothing grows with traffic: about 4 MiB in all, the
 * rules bounded by {@link #RULE_IDS_PER_DAY_MAX} a day. Reads and writes take the object's lock; a
 * write (the committer's) is a few array increments; a read takes the lock once per
 * {@link #READ_CHUNK_MINUTES} minutes and lets go between, so a writer waits at most for one chunk
 * (about 6,000 array reads), never for a whole range (a week is about a million). A read is thus not
 * one instant's snapshot: a decision counted while it runs may show in its later minutes only.
 *
 * <p>Latency bins are logarithmic, {@link #LATENCY_BINS_PER_OCTAVE} per doubling from
 * {@link #LATENCY_MICROS_MIN} µs: a percentile is known to within a bin, about ±9 %.
 */
final class MinuteCounts {
  static final long MINUTE_MILLIS = 60_000L;
  static final long DAY_MILLIS = 86_400_000L;
  /** Days of rule counts: today and the seven days of its baseline. */
  static final int DAYS = 8;
  /** Minutes held: the {@link #DAYS} days the rule counts cover. */
  static final int MINUTES = (int) (DAYS * DAY_MILLIS / MINUTE_MILLIS);
  static final int ACTIONS = Action.values().length;
  /** Score bins of width 10 over 0-100 (100 falls in the last). */
  static final int SCORE_BINS = 10;
  static final int LATENCY_BINS_PER_OCTAVE = 4;
  /** The first bin's upper bound, µs: every latency under it lands in the first bin. */
  static final long LATENCY_MICROS_MIN = 16;
  /** Octaves from {@link #LATENCY_MICROS_MIN} µs: up to about 67 s; slower lands in the last bin. */
  static final int LATENCY_OCTAVES = 22;
  static final int LATENCY_BINS = LATENCY_BINS_PER_OCTAVE * LATENCY_OCTAVES;
  /** Distinct rule ids counted per day; the fires of any further ids go to {@link #OTHER_RULES}. */
  static final int RULE_IDS_PER_DAY_MAX = 1_000;
  static final String OTHER_RULES = "(other rules)";
  private static final long EMPTY = Long.MIN_VALUE;
  /** Minutes a read sums per hold of the lock. */
  static final int READ_CHUNK_MINUTES = 60;

  static {
    if (MINUTES != 11_520) throw new AssertionError("eight days of minutes");
    if (ACTIONS != 5) throw new AssertionError("ALLOW, CHALLENGE, REVIEW, HOLD, DENY");
  }

  private final long[] minuteOf = new long[MINUTES];
  private final int[] actions = new int[MINUTES * ACTIONS];
  private final int[] scores = new int[MINUTES * SCORE_BINS];
  private final int[] latencies = new int[MINUTES * LATENCY_BINS];
  private final long[] dayOf = new long[DAYS];
  @SuppressWarnings("unchecked")
  private final Map<String, Long>[] rules = new Map[DAYS];

  MinuteCounts() {
    Arrays.fill(minuteOf, EMPTY);
    Arrays.fill(dayOf, EMPTY);
    for (int i = 0; i < DAYS; i++) rules[i] = new HashMap<>();
  }

  /** What a range's minutes add up to; {@code series[action][bucket]} counts decisions per bucket of the step. */
  record Window(long fromMillis, long toMillis, int stepMinutes, long[] byAction, long[][] series, long[] scoreBins,
      long[] latencyBins) {
    long total() {
      long sum = 0;
      for (long n : byAction) sum += n;
      return sum;
    }

    long of(Action a) {
      return byAction[a.ordinal()];
    }
  }

  /** Counts {@code count} decisions of one action and score at {@code atMillis}; {@code latencyNanos} below 0: unknown. */
  synchronized void add(long atMillis, Action action, int score, long latencyNanos, int count) {
    assert count > 0 : count;
    int slot = slot(Math.floorDiv(atMillis, MINUTE_MILLIS));
    if (slot < 0) return;
    actions[slot * ACTIONS + action.ordinal()] += count;
    scores[slot * SCORE_BINS + scoreBin(score)] += count;
    if (latencyNanos >= 0) latencies[slot * LATENCY_BINS + latencyBin(latencyNanos)] += count;
  }

  /** Counts {@code count} fires of a rule on the UTC day of {@code atMillis}. */
  synchronized void addRule(long atMillis, String ruleId, long count) {
    long day = Math.floorDiv(atMillis, DAY_MILLIS);
    int i = (int) Math.floorMod(day, (long) DAYS);
    if (dayOf[i] > day) return;
    if (dayOf[i] != day) {
      dayOf[i] = day;
      rules[i].clear();
    }
    Map<String, Long> fired = rules[i];
    String key = fired.containsKey(ruleId) || fired.size() < RULE_IDS_PER_DAY_MAX ? ruleId : OTHER_RULES;
    fired.merge(key, count, Long::sum);
  }

  /** The fires per rule on one UTC day (epoch day), empty when the day is not held. */
  synchronized Map<String, Long> rulesOn(long epochDay) {
    int i = (int) Math.floorMod(epochDay, (long) DAYS);
    return dayOf[i] == epochDay ? Map.copyOf(rules[i]) : Map.of();
  }

  /** The minutes of [from, to) (rounded out to whole minutes) summed, in buckets of {@code stepMinutes}. */
  Window read(long fromMillis, long toMillis, int stepMinutes) {
    if (stepMinutes < 1) throw new IllegalArgumentException("stepMinutes must be at least 1, not " + stepMinutes);
    long first = Math.floorDiv(fromMillis, MINUTE_MILLIS);
    long last = Math.floorDiv(toMillis - 1, MINUTE_MILLIS);
    if (last - first + 1 > MINUTES) throw new IllegalArgumentException("a range of at most " + MINUTES + " minutes");
    int buckets = (int) ((last - first) / stepMinutes + 1);
    long[] byAction = new long[ACTIONS];
    long[][] series = new long[ACTIONS][buckets];
    long[] scoreBins = new long[SCORE_BINS];
    long[] latencyBins = new long[LATENCY_BINS];
    for (long chunk = first; chunk <= last; chunk += READ_CHUNK_MINUTES) {
      long chunkLast = Math.min(last, chunk + READ_CHUNK_MINUTES - 1);
      synchronized (this) {
        for (long m = chunk; m <= chunkLast; m++) {
          int slot = (int) Math.floorMod(m, (long) MINUTES);
          if (minuteOf[slot] != m) continue;
          int bucket = (int) ((m - first) / stepMinutes);
          for (int a = 0; a < ACTIONS; a++) {
            int n = actions[slot * ACTIONS + a];
            byAction[a] += n;
            series[a][bucket] += n;
          }
          for (int b = 0; b < SCORE_BINS; b++) scoreBins[b] += scores[slot * SCORE_BINS + b];
          for (int b = 0; b < LATENCY_BINS; b++) latencyBins[b] += latencies[slot * LATENCY_BINS + b];
        }
      }
    }
    return new Window(first * MINUTE_MILLIS, (last + 1) * MINUTE_MILLIS, stepMinutes, byAction, series, scoreBins, latencyBins);
  }

  /** The slot of this minute, cleared when it held an older one; -1 when the minute fell out of the ring. */
  private int slot(long minute) {
    int slot = (int) Math.floorMod(minute, (long) MINUTES);
    long held = minuteOf[slot];
    if (held == minute) return slot;
    if (held > minute) return -1;
    minuteOf[slot] = minute;
    Arrays.fill(actions, slot * ACTIONS, (slot + 1) * ACTIONS, 0);
    Arrays.fill(scores, slot * SCORE_BINS, (slot + 1) * SCORE_BINS, 0);
    Arrays.fill(latencies, slot * LATENCY_BINS, (slot + 1) * LATENCY_BINS, 0);
    return slot;
  }

  static int scoreBin(int score) {
    return Math.max(0, Math.min(SCORE_BINS - 1, score / 10));
  }

  /** The bin of a latency: {@code floor(4 × log2(µs / 16))}, clamped to the bins. */
  static int latencyBin(long latencyNanos) {
    double micros = latencyNanos / 1_000.0;
    if (micros < LATENCY_MICROS_MIN) return 0;
    int bin = (int) Math.floor(LATENCY_BINS_PER_OCTAVE * Math.log(micros / LATENCY_MICROS_MIN) / Math.log(2));
    return Math.min(LATENCY_BINS - 1, bin);
  }

  /** The upper bound of a latency bin, µs. */
  static double latencyBinUpperMicros(int bin) {
    return LATENCY_MICROS_MIN * Math.pow(2, (bin + 1) / (double) LATENCY_BINS_PER_OCTAVE);
  }

  /**
   * The latency at quantile {@code q} (0-1) of these bins, in milliseconds: the upper bound of the
   * bin holding that rank (so never under the true value by more than a rounding); NaN without any.
   */
  static double percentileMillis(long[] latencyBins, double q) {
    if (q <= 0 || q > 1) throw new IllegalArgumentException("q must be in (0, 1], not " + q);
    long total = 0;
    for (long n : latencyBins) total += n;
    if (total == 0) return Double.NaN;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int b = 0; b < latencyBins.length; b++) {
      seen += latencyBins[b];
      if (seen >= rank) return latencyBinUpperMicros(b) / 1_000.0;
    }
    throw new AssertionError("rank " + rank + " beyond " + total);
  }
}
