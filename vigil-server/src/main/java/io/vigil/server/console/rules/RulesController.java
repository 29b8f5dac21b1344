package io.vigil.server.console.rules;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.policy.PolicyJson;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.policy.RuleDrafts;
import io.vigil.server.policy.stats.RuleReviews;
import io.vigil.server.policy.stats.RuleStatsService;
import io.vigil.server.policy.stats.StatsRange;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's rules and policy screens: the rule list with each rule's recent fires and
 * precision, the rule editor (validated as you type, tested, backtested), the policy's other
 * parts, and its versions with the difference between two. Reads come from the policy service;
 * every change goes through the public API from the page.
 */
@Controller
public class RulesController {
  /** Rules per page of the list: bounds the activity queries of one page load. */
  public static final int RULES_PER_PAGE = 50;
  /** Versions per page of the versions list. */
  static final int VERSIONS_PER_PAGE = 25;

  private final PolicyService policies;
  private final RuleActivity activity;
  private final RuleStatsService ruleStats;
  private final RuleReviews reviews;
  private final Clock clock;

  public RulesController(PolicyService policies, RuleActivity activity, RuleStatsService ruleStats, RuleReviews reviews, Clock clock) {
    this.policies = policies;
    this.activity = activity;
    this.ruleStats = ruleStats;
    this.reviews = reviews;
    this.clock = clock;
  }

  /** One row of the rule list. */
  public record Row(RuleDefinition rule, String effect, RuleActivity.Stats stats, RuleReviews.Status review) {
    /** The last review's day, or "never". */
    public String lastReview() {
      return review.lastReview() == null ? "never"
          : Instant.ofEpochMilli(review.lastReview().reviewedAtMillis()).toString().substring(0, 10) + " (" + review.lastReview().outcome() + ")";
    }

    public String fires() {
      return stats.firesCapped() ? String.format("%,d+", stats.fires()) : String.format("%,d", stats.fires());
    }

    public String precision() {
      Double p = stats.precision();
      return p == null ? "no labels" : String.format("%.0f%% of %d", 100 * p, stats.labelled());
    }
  }

  @GetMapping("/console/rules")
  public String list(@RequestParam(name = "page", required = false, defaultValue = "1") int page, Model model) {
    PolicyDocument d = policies.document();
    int pages = Math.max(1, (d.rules().size() + RULES_PER_PAGE - 1) / RULES_PER_PAGE);
    int p = Math.max(1, Math.min(page, pages));
    List<RuleDefinition> shown = d.rules().subList((p - 1) * RULES_PER_PAGE, Math.min(d.rules().size(), p * RULES_PER_PAGE));
    List<String> ids = shown.stream().map(RuleDefinition::id).toList();
    Map<String, RuleActivity.Stats> stats = activity.of(ids);
    Map<String, RuleReviews.Status> review = reviews.status(ids);
    model.addAttribute("rows", shown.stream().map(r -> new Row(r, effect(r), stats.get(r.id()), review.get(r.id()))).toList());
    model.addAttribute("reviewDays", reviews.periodDays());
    model.addAttribute("policyVersion", d.version());
    model.addAttribute("page", p);
    model.addAttribute("pages", pages);
    model.addAttribute("windowDays", RuleActivity.WINDOW_DAYS);
    return "console/rules/list";
  }

  private static String effect(RuleDefinition r) {
    String e = r.effect().forces() ? r.effect().forcedAction().name() : "+" + r.effect().points() + " points";
    return r.effect().restrictKind() == null ? e : e + ", " + r.effect().restrictKind().wireName();
  }

  @GetMapping("/console/rules/new")
  public String create(Model model) {
    Map<String, Object> blank = new LinkedHashMap<>();
    blank.put("id", "");
    blank.put("description", "");
    blank.put("event_types", List.of());
    blank.put("expression", "");
    blank.put("effect", Map.of("points", 10));
    blank.put("reason", "");
    blank.put("enabled", true);
    return editor(blank, true, model);
  }

  @GetMapping("/console/rules/{id}")
  public String edit(@PathVariable String id, @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to, Model model, HttpServletResponse response) {
    Optional<RuleDefinition> rule = policies.rule(id);
    if (rule.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("missingId", id);
      return "console/rules/missing";
    }
    statistics(id, from, to, model);
    return editor(PolicyJson.rule(rule.get()), false, model);
  }

  /** The rule page's statistics (the range asked for, else the default) and its review state and history. */
  private void statistics(String id, String from, String to, Model model) {
    StatsRange range;
    try {
      range = StatsRange.parse(from, to, clock);
    } catch (ApiException e) {
      model.addAttribute("rangeError", e.getMessage());
      range = StatsRange.parse(null, null, clock);
    }
    model.addAttribute("ruleStats", RuleStatsView.of(ruleStats.rule(id, range)));
    model.addAttribute("rangeFrom", range.from().toString());
    model.addAttribute("rangeTo", range.to().toString());
    model.addAttribute("rangeDaysMax", StatsRange.DAYS_MAX);
    RuleReviews.Status review = reviews.status(id);
    model.addAttribute("review", review);
    model.addAttribute("reviewDue", Instant.ofEpochMilli(review.dueAtMillis()).toString().substring(0, 10));
    model.addAttribute("reviewHistory", reviews.history(id).stream().map(RuleReviews::json).toList());
    model.addAttribute("reviewDays", reviews.periodDays());
    model.addAttribute("chartWidth", RuleStatsView.CHART_WIDTH);
    model.addAttribute("chartHeight", RuleStatsView.CHART_HEIGHT);
  }

  private String editor(Map<String, Object> rule, boolean isNew, Model model) {
    model.addAttribute("rule", rule);
    Map<?, ?> effect = rule.get("effect") instanceof Map<?, ?> e ? e : Map.of();
    Map<?, ?> restrict = effect.get("restrict") instanceof Map<?, ?> r ? r : Map.of();
    model.addAttribute("effectPoints", effect.get("points"));
    model.addAttribute("effectAction", effect.get("action"));
    model.addAttribute("effectChallenge", effect.get("challenge"));
    model.addAttribute("restrictKind", restrict.get("kind"));
    model.addAttribute("restrictMinutes", restrict.get("duration_minutes"));
    model.addAttribute("isNew", isNew);
    model.addAttribute("eventTypes", String.join(", ", toStrings(rule.get("event_types"))));
    model.addAttribute("allEventTypes", Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    model.addAttribute("backtestDaysMax", RuleDrafts.BACKTEST_DAYS_MAX);
    model.addAttribute("sampleEvent", pretty(sampleEvent()));
    model.addAttribute("policyVersion", policies.document().version());
    return "console/rules/editor";
  }

  /** An event to start a test from: a payment occurring now. */
  private Map<String, Object> sampleEvent() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event_id", "test-" + clock.millis());
    e.put("type", "payment");
    e.put("occurred_at", Instant.ofEpochMilli(clock.millis()).toString());
    e.put("account_id", "acct_test");
    e.put("amount", 12500);
    e.put("currency", "USD");
    return e;
  }

  private static List<String> toStrings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
    return out;
  }

  /** A policy part for an edit form: the body its PUT route takes, pretty-printed. */
  public record Part(String id, String title, String api, String field, String json) {}

  @GetMapping("/console/rules/-/policy")
  public String policy(Model model) {
    PolicyDocument d = policies.document();
    Map<String, Object> doc = PolicyJson.document(d);
    List<Part> parts = List.of(
        new Part("thresholds", "Thresholds", "/v1/policy/thresholds", "thresholds", pretty(doc.get("thresholds"))),
        new Part("weights", "Weights", "/v1/policy/weights", "weights", pretty(Map.of("weights", doc.get("weights")))),
        new Part("limits", "Limits", "/v1/policy/limits", "limits", pretty(Map.of("limits", doc.get("limits")))),
        new Part("challenges", "Challenge policy", "/v1/policy/challenges", "challenges",
            pretty(Map.of("challenges", doc.get("challenges")))),
        new Part("holds", "Hold policies", "/v1/policy/holds", "holds", pretty(Map.of("holds", doc.get("holds")))));
    List<Part> scorecards = new ArrayList<>();
    if (doc.get("scorecards") instanceof List<?> cards) {
      for (Object o : cards) {
        if (!(o instanceof Map<?, ?> card)) continue;
        String id = String.valueOf(card.get("id"));
        scorecards.add(new Part(id, id + (Boolean.TRUE.equals(card.get("enabled")) ? " (enabled)" : " (disabled)"),
            "/v1/scorecards/" + id, "scorecard", pretty(card)));
      }
    }
    model.addAttribute("parts", parts);
    model.addAttribute("scorecards", scorecards);
    model.addAttribute("policyVersion", d.version());
    return "console/rules/policy";
  }

  /** One row of the versions list. */
  public record VersionRow(long version, String createdAt, String createdBy, String change) {}

  @GetMapping("/console/rules/-/versions")
  public String versions(@RequestParam(name = "before", required = false) Long before,
      @RequestParam(name = "from", required = false) Long from, @RequestParam(name = "to", required = false) Long to,
      Model model) {
    List<PolicyRepository.Version> page = policies.history(before, VERSIONS_PER_PAGE + 1);
    boolean more = page.size() > VERSIONS_PER_PAGE;
    if (more) page = page.subList(0, VERSIONS_PER_PAGE);
    model.addAttribute("versions", page.stream().map(v -> new VersionRow(v.version(),
        Instant.ofEpochMilli(v.createdAtMillis()).toString(), v.createdBy(), v.changeSummary())).toList());
    model.addAttribute("older", more ? page.get(page.size() - 1).version() : null);
    long latest = policies.document().version();
    model.addAttribute("liveVersion", latest);
    long toVersion = to != null ? to : latest;
    long fromVersion = from != null ? from : toVersion - 1;
    model.addAttribute("from", fromVersion);
    model.addAttribute("to", toVersion);
    Optional<PolicyRepository.Version> a = policies.version(fromVersion);
    Optional<PolicyRepository.Version> b = policies.version(toVersion);
    if (a.isPresent() && b.isPresent()) {
      List<LineDiff.Line> lines = LineDiff.diff(canonicalLines(a.get()), canonicalLines(b.get()));
      model.addAttribute("diff", lines);
      model.addAttribute("changed", lines.stream().anyMatch(l -> l.kind() == '+' || l.kind() == '-'));
    } else {
      model.addAttribute("missing", a.isEmpty() ? fromVersion : toVersion);
    }
    return "console/rules/versions";
  }

  /** A version's document as sorted, indented JSON, one line per element. */
  private static List<String> canonicalLines(PolicyRepository.Version v) {
    return Arrays.asList(pretty(Json.readMap(v.document())).split("\n", -1));
  }

  private static String pretty(Object value) {
    return Json.CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(value).replace("\r\n", "\n");
  }
}
