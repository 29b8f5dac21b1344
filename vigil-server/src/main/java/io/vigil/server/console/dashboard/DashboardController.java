package io.vigil.server.console.dashboard;

import io.vigil.engine.policy.Action;
import io.vigil.server.operator.OperatorSessions;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's dashboard: decisions per minute by action, latency, interception, review and
 * false-interception rates against their targets, the top rules of the day against their baseline,
 * the hold and review queues, the score distribution. The page renders the stat cards; the charts
 * read {@code /console/dashboard/data}; {@code /console/dashboard/stream} sends the refreshed stat
 * cards every few seconds (server-sent events, read by htmx's SSE extension). Every number but the
 * labels and the holds comes from memory ({@link DashboardCounts}).
 */
@Controller
public class DashboardController {
  private final DashboardStats stats;
  private final DashboardStream stream;

  public DashboardController(DashboardStats stats, DashboardStream stream) {
    this.stats = stats;
    this.stream = stream;
  }

  @GetMapping("/console/dashboard")
  public String dashboard(@RequestParam(name = "range", required = false) String range, Model model) {
    DashboardRange r = range(range);
    model.addAttribute("range", r);
    model.addAttribute("ranges", DashboardRange.values());
    model.addAttribute("s", stats.stats(r));
    return "console/dashboard";
  }

  /** The charts' data: decisions per minute by action in the range's steps, and the score distribution. */
  @GetMapping(path = "/console/dashboard/data", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  public Map<String, Object> data(@RequestParam(name = "range", required = false) String range) {
    DashboardRange r = range(range);
    MinuteCounts.Window w = stats.window(r, stats.now());
    return chartData(r, w);
  }

  /** The stat cards, refreshed every few seconds for at most a few minutes (the browser reconnects). */
  @GetMapping(path = "/console/dashboard/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@RequestParam(name = "range", required = false) String range, HttpServletRequest request) {
    VigilPrincipal me = Principals.current(request);
    return stream.open(range(range), new DashboardStream.Viewer(me.id(), sessionOpen(request.getSession(false), me.id())));
  }

  /** Whether this session is still open and still this operator's (an ended session refuses its attributes). */
  static BooleanSupplier sessionOpen(HttpSession session, String operatorId) {
    if (session == null) return () -> false;
    return () -> {
      try {
        return operatorId.equals(session.getAttribute(OperatorSessions.USERNAME));
      } catch (IllegalStateException ended) {
        return false;
      }
    };
  }

  /** An unknown or missing range is the default one (the picker offers only the known ones). */
  static DashboardRange range(String code) {
    return code == null ? DashboardRange.DEFAULT : DashboardRange.of(code).orElse(DashboardRange.DEFAULT);
  }

  static Map<String, Object> chartData(DashboardRange r, MinuteCounts.Window w) {
    int buckets = w.series()[0].length;
    List<String> times = new ArrayList<>(buckets);
    long stepMillis = w.stepMinutes() * MinuteCounts.MINUTE_MILLIS;
    for (int b = 0; b < buckets; b++) times.add(Instant.ofEpochMilli(w.fromMillis() + b * stepMillis).toString());
    Map<String, Object> perMinute = new LinkedHashMap<>();
    Map<String, Object> byAction = new LinkedHashMap<>();
    for (Action a : Action.values()) {
      long[] counts = w.series()[a.ordinal()];
      List<Double> rates = new ArrayList<>(buckets);
      for (long n : counts) rates.add(Math.round(100.0 * n / w.stepMinutes()) / 100.0);
      perMinute.put(a.name(), rates);
      byAction.put(a.name(), w.of(a));
    }
    List<String> scoreLabels = new ArrayList<>(MinuteCounts.SCORE_BINS);
    List<Long> scoreCounts = new ArrayList<>(MinuteCounts.SCORE_BINS);
    for (int b = 0; b < MinuteCounts.SCORE_BINS; b++) {
      scoreLabels.add(b * 10 + "–" + (b == MinuteCounts.SCORE_BINS - 1 ? 100 : b * 10 + 9));
      scoreCounts.add(w.scoreBins()[b]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("range", r.code);
    out.put("from", Instant.ofEpochMilli(w.fromMillis()).toString());
    out.put("to", Instant.ofEpochMilli(w.toMillis()).toString());
    out.put("step_minutes", w.stepMinutes());
    out.put("total", w.total());
    out.put("by_action", byAction);
    out.put("times", times);
    out.put("per_minute", perMinute);
    out.put("score_bins", scoreLabels);
    out.put("score_counts", scoreCounts);
    return out;
  }
}
