package io.vigil.server.console.changes;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.change.ChangeRequest;
import io.vigil.server.change.ChangeRequestService;
import io.vigil.server.change.PolicyChangeKind;
import io.vigil.server.console.rules.LineDiff;
import io.vigil.server.policy.RuleDrafts;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's change requests: the list (pending first), and one request with its difference
 * against what is live (as the versions page shows it), the backtest of each rule it adds or
 * changes, its history, and the approve (with step-up), reject, withdraw, rebase and review forms,
 * which call the public API from the page.
 */
@Controller
public class ChangesController {
  /** Rows of the list page. */
  static final int ROWS = 100;
  /** Rules of one change backtested on its page: each reads the journal. */
  static final int BACKTESTS_MAX = 5;
  static final int BACKTEST_DAYS = 7;
  private final ChangeRequestService changes;
  private final RuleDrafts drafts;

  public ChangesController(ChangeRequestService changes, RuleDrafts drafts) {
    this.changes = changes;
    this.drafts = drafts;
  }

  /** One row of the list. */
  public record Row(String id, String kind, String status, String author, String reason, String createdAt, boolean emergency,
      boolean reviewRequired) {}

  @GetMapping("/console/changes")
  public String list(@RequestParam(name = "status", required = false) String status, Model model) {
    String s = status == null || status.isBlank() || status.length() > 16 ? null : status;
    model.addAttribute("rows", changes.list(s, null, null, ROWS).stream().map(r -> new Row(r.id(), r.kind(), r.status(), r.author(),
        r.reason(), Instant.ofEpochMilli(r.createdAtMillis()).toString(), r.emergency(), r.reviewRequired())).toList());
    model.addAttribute("status", s);
    return "console/changes/list";
  }

  /** The backtest of one rule of the change: its id and the API's answer, or the refusal's message. */
  public record Backtest(String ruleId, Map<String, Object> result, String error) {}

  /** One entry of the history. */
  public record HistoryRow(String at, String action, String actor, String note) {}

  @GetMapping("/console/changes/{id}")
  public String detail(@PathVariable String id, Model model, HttpServletResponse response) {
    ChangeRequest r;
    try {
      r = changes.get(id);
    } catch (ApiException e) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("missingId", id);
      return "console/changes/missing";
    }
    long liveVersion = changes.liveVersion(r.kind());
    Map<String, Object> live = changes.liveConfiguration(r.kind());
    Map<String, Object> shownLive = new LinkedHashMap<>();
    for (String section : r.proposed().keySet()) shownLive.put(section, live.get(section));
    List<LineDiff.Line> lines = LineDiff.diff(lines(shownLive), lines(r.proposed()));
    model.addAttribute("change", r);
    model.addAttribute("createdAt", Instant.ofEpochMilli(r.createdAtMillis()).toString());
    model.addAttribute("expiresAt", Instant.ofEpochMilli(r.expiresAtMillis()).toString());
    model.addAttribute("liveVersion", liveVersion);
    model.addAttribute("conflict", ChangeRequest.PENDING.equals(r.status()) && liveVersion != r.baseVersion());
    model.addAttribute("diff", lines);
    model.addAttribute("changed", lines.stream().anyMatch(l -> l.kind() == '+' || l.kind() == '-'));
    model.addAttribute("backtests", PolicyChangeKind.NAME.equals(r.kind()) && ChangeRequest.PENDING.equals(r.status())
        ? backtests(r) : List.of());
    model.addAttribute("history", changes.history(r.id()).stream().map(e -> new HistoryRow(Instant.ofEpochMilli(e.atMillis()).toString(),
        e.action(), e.actor(), e.note())).toList());
    return "console/changes/detail";
  }

  /** The rules the change adds or changes, each backtested over the last days of decisions. */
  @SuppressWarnings("unchecked")
  private List<Backtest> backtests(ChangeRequest r) {
    List<Map<String, Object>> rules = new ArrayList<>();
    if (r.difference().get("rules") instanceof Map<?, ?> diff) {
      if (diff.get("added") instanceof List<?> added) for (Object o : added) rules.add((Map<String, Object>) o);
      if (diff.get("changed") instanceof List<?> changed) {
        for (Object o : changed) rules.add((Map<String, Object>) ((Map<String, Object>) o).get("after"));
      }
    }
    List<Backtest> out = new ArrayList<>();
    for (Map<String, Object> rule : rules.subList(0, Math.min(rules.size(), BACKTESTS_MAX))) {
      String ruleId = String.valueOf(rule.get("id"));
      try {
        byte[] body = Json.write(Map.of("rule", rule, "days", BACKTEST_DAYS)).getBytes(StandardCharsets.UTF_8);
        out.add(new Backtest(ruleId, drafts.backtest(body), null));
      } catch (ApiException e) {
        out.add(new Backtest(ruleId, null, e.getMessage()));
      }
    }
    return out;
  }

  private static List<String> lines(Object value) {
    String pretty = Json.CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(value).replace("\r\n", "\n");
    return Arrays.asList(pretty.split("\n", -1));
  }
}
