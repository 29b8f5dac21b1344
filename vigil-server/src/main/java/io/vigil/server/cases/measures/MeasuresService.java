package io.vigil.server.cases.measures;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Computes the measures of a range and the daily interception review of a day (UTC). */
public final class MeasuresService {
  /** The longest range the measures cover, in days: a quarter. */
  public static final int RANGE_DAYS_MAX = 93;
  public static final long RANGE_MILLIS_MAX = RANGE_DAYS_MAX * 86_400_000L;
  /** The range without from and to: the last week. */
  public static final long RANGE_MILLIS_DEFAULT = 7 * 86_400_000L;
  /** Rules the daily review lists with the worst false-interception rates. */
  public static final int WORST_RULES = 10;
  /** Cases still open the daily review lists (the count covers them all). */
  public static final int OPEN_CASES_LISTED_MAX = 100;

  static {
    assert RANGE_MILLIS_DEFAULT <= RANGE_MILLIS_MAX;
  }

  private final MeasuresRepository repository;
  private final Clock clock;

  MeasuresService(MeasuresRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  /** The measures of decisions made and cases opened in [from, to); the caller checked the range. */
  public Measures measure(long fromMillis, long toMillis) {
    if (toMillis <= fromMillis || toMillis - fromMillis > RANGE_MILLIS_MAX) {
      throw new IllegalArgumentException("range " + fromMillis + ".." + toMillis + " is empty or longer than " + RANGE_DAYS_MAX + " days");
    }
    List<Measures.Attainment> byQueue = repository.attainmentByQueue(fromMillis, toMillis);
    Measures.Attainment all = new Measures.Attainment(null, byQueue.stream().mapToLong(Measures.Attainment::closed).sum(),
        byQueue.stream().mapToLong(Measures.Attainment::closedInTime).sum());
    return new Measures(fromMillis, toMillis, repository.interceptions(fromMillis, toMillis, null),
        repository.interceptionsByRule(fromMillis, toMillis), repository.interceptionsByQueue(fromMillis, toMillis),
        repository.decisions(fromMillis, toMillis), repository.reviewed(fromMillis, toMillis), reviewers(fromMillis, toMillis), all,
        byQueue, repository.breached(fromMillis, toMillis), repository.openPastDue(clock.millis()),
        repository.verdicts(fromMillis, toMillis), repository.sampling(fromMillis, toMillis));
  }

  private List<Measures.Throughput> reviewers(long fromMillis, long toMillis) {
    Map<String, Long> closed = repository.closedBy(fromMillis, toMillis);
    Map<String, Long> open = repository.openByAssignee();
    Map<String, List<Long>> times = new HashMap<>();
    for (MeasuresRepository.Handling h : repository.handling(fromMillis, toMillis)) {
      times.computeIfAbsent(h.reviewerId(), k -> new ArrayList<>()).add(h.millis());
    }
    List<Measures.Throughput> out = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(closed.keySet());
    ids.addAll(open.keySet());
    for (String id : ids) {
      List<Long> t = times.getOrDefault(id, List.of());
      out.add(new Measures.Throughput(id, closed.getOrDefault(id, 0L), nearestRank(t, 0.5), nearestRank(t, 0.9), open.getOrDefault(id, 0L)));
    }
    return out;
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it; null for none. */
  static Long nearestRank(List<Long> values, double p) {
    assert p > 0 && p <= 1 : p;
    if (values.isEmpty()) return null;
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** The daily interception review of a day (00:00 to 24:00 UTC). */
  public DailyReview daily(LocalDate date) {
    long from = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long to = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    List<Measures.Rate> worst = repository.interceptionsByRule(from, to).stream()
        .filter(r -> r.judged() > 0)
        .sorted(Comparator.comparing(Measures.Rate::rate).reversed().thenComparing(Comparator.comparingLong(Measures.Rate::judged).reversed())
            .thenComparing(Measures.Rate::key))
        .limit(WORST_RULES).toList();
    return new DailyReview(date, repository.interceptedByAction(from, to), repository.interceptionsByQueue(from, to),
        repository.interceptions(from, to, null), repository.verdicts(from, to), worst, repository.stillOpenCount(from, to),
        repository.stillOpen(from, to, OPEN_CASES_LISTED_MAX));
  }
}
