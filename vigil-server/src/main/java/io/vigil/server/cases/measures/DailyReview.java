package io.vigil.server.cases.measures;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What was intercepted on one day (UTC) and what became of it so far: the page behind
 * {@code GET /v1/cases/daily-review} and the body of the daily e-mail.
 *
 * @param byAction intercepted decisions by action
 * @param byQueue intercepted decisions in cases, by the case's queue, with what was found
 * @param interceptions all intercepted decisions of the day and what was found of them
 * @param verdicts cases opened that day and closed since, by verdict
 * @param worstRules the rules with the highest false-interception rate (at least one judged decision), at most {@link MeasuresService#WORST_RULES}
 * @param stillOpenCount cases opened that day that are not closed
 * @param stillOpen the most urgent of them, at most {@link MeasuresService#OPEN_CASES_LISTED_MAX}
 */
public record DailyReview(LocalDate date, Map<String, Long> byAction, List<Measures.Rate> byQueue, Measures.Rate interceptions,
    Map<String, Long> verdicts, List<Measures.Rate> worstRules, long stillOpenCount, List<OpenCase> stillOpen) {
  public DailyReview {
    byAction = Map.copyOf(byAction);
    byQueue = List.copyOf(byQueue);
    verdicts = Map.copyOf(verdicts);
    worstRules = List.copyOf(worstRules);
    stillOpen = List.copyOf(stillOpen);
  }

  /** A case of the day still open, as the review lists it. */
  public record OpenCase(String caseId, String queueId, String status, int priority, String assigneeId, long dueAtMillis) {}
}
