package io.vigil.server.console.cases;

import io.vigil.server.cases.measures.DailyReview;
import io.vigil.server.cases.measures.Measures;
import io.vigil.server.cases.measures.MeasuresService;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.TreeMap;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The daily interception review as a page: what was intercepted on a day (UTC), what reviewers
 * found so far, the rules with the worst false-interception rates and the day's cases still open.
 * The same figures as {@code GET /v1/cases/daily-review} and the daily e-mail.
 */
@Controller
public class DailyReviewConsoleController {
  private final MeasuresService measures;
  private final Clock clock;

  public DailyReviewConsoleController(MeasuresService measures, Clock clock) {
    this.measures = measures;
    this.clock = clock;
  }

  /** A rate as the page writes it: the share found legitimate with its counts, or that nothing is judged yet. */
  public record RateLine(String key, long intercepted, long judged, long legitimate, String rate, boolean overTarget) {
    static RateLine of(Measures.Rate r) {
      Double rate = r.rate();
      return new RateLine(r.key(), r.intercepted(), r.judged(), r.legitimate(),
          rate == null ? "not judged yet" : String.format(Locale.ROOT, "%.1f %%", rate * 100), rate != null && rate > TARGET);
    }
  }

  /** The false-interception target the page compares with. */
  static final double TARGET = 0.05;

  @GetMapping("/console/cases/-/daily-review")
  public String page(@RequestParam(name = "date", required = false) String date, Model model) {
    LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
    LocalDate day = yesterday;
    String problem = null;
    if (date != null) {
      try {
        day = LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        problem = "The date must be written as YYYY-MM-DD; showing yesterday instead.";
      }
    }
    DailyReview review = measures.daily(day);
    model.addAttribute("day", day);
    model.addAttribute("previous", day.minusDays(1));
    model.addAttribute("next", day.isBefore(yesterday.plusDays(1)) ? day.plusDays(1) : null);
    model.addAttribute("problem", problem);
    model.addAttribute("review", review);
    model.addAttribute("all", RateLine.of(review.interceptions()));
    model.addAttribute("queues", review.byQueue().stream().map(RateLine::of).toList());
    model.addAttribute("rules", review.worstRules().stream().map(RateLine::of).toList());
    model.addAttribute("actions", new TreeMap<>(review.byAction()).entrySet());
    model.addAttribute("verdicts", new TreeMap<>(review.verdicts()).entrySet());
    return "console/cases/daily-review";
  }
}
