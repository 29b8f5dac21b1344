package io.vigil.server.console.decisions;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.challenge.ChallengeController;
import io.vigil.server.decision.DecisionController;
import io.vigil.server.hold.HoldController;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.limit.LimitController;
import io.vigil.server.model.ModelController;
import io.vigil.server.reversal.ReversalController;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * One decision: its event, reasons, feature values, the model's explanation, how it ended
 * (challenge, hold and approvals, reversal requests, reported outcome) and the account's recent
 * history. Each part is read by the code behind the API route that serves it, so the page shows
 * exactly what {@code GET /v1/decisions/{id}} and its sub-resources answer; a part the API answers
 * 404 for (no hold, no challenge result …) is shown as absent, in the API's words.
 */
@Controller
public class DecisionPageController {
  /** The account's decisions on the timeline. */
  static final int HISTORY_ROWS = 50;
  /** Of those, the ones listed in the table under it. */
  static final int HISTORY_TABLE_ROWS = 10;
  /** Reversal requests listed (a decision gets few). */
  static final int REVERSALS_SHOWN = 20;
  /** Bars of the explanation chart: the largest contributions. */
  static final int EXPLANATION_BARS = 20;
  /** Event fields listed (nesting flattened); an event holds far fewer. */
  static final int EVENT_FIELDS_MAX = 400;

  private final DecisionController decisions;
  private final ModelController models;
  private final ChallengeController challenges;
  private final HoldController holds;
  private final ReversalController reversals;
  private final LimitController outcomes;
  private final JournalRepository journal;

  public DecisionPageController(DecisionController decisions, ModelController models, ChallengeController challenges,
      HoldController holds, ReversalController reversals, LimitController outcomes, JournalRepository journal) {
    this.decisions = decisions;
    this.models = models;
    this.challenges = challenges;
    this.holds = holds;
    this.reversals = reversals;
    this.outcomes = outcomes;
    this.journal = journal;
  }

  @GetMapping("/console/decisions/{decisionId}")
  @SuppressWarnings("unchecked")
  public String decision(@PathVariable String decisionId, Model model, HttpServletResponse response) {
    model.addAttribute("decisionId", decisionId);
    Map<String, Object> record;
    try {
      record = decisions.get(decisionId);
    } catch (ApiException e) {
      response.setStatus(e.status());
      model.addAttribute("missing", e.getMessage());
      return "console/decisions/decision";
    }
    Map<String, Object> decision = (Map<String, Object>) record.get("decision");
    Map<String, Object> event = (Map<String, Object>) record.get("event");
    model.addAttribute("record", record);
    model.addAttribute("decision", decision);
    model.addAttribute("eventFields", flatten(event));
    model.addAttribute("reasons", decision.getOrDefault("reasons", List.of()));
    part(model, "features", () -> models.features(decisionId));
    part(model, "explanation", () -> models.explanation(decisionId));
    if (model.getAttribute("explanation") instanceof Map<?, ?> why) {
      model.addAttribute("explanationJson", explanationJson((Map<String, Object>) why));
    }
    part(model, "challenge", () -> challenges.get(decisionId));
    part(model, "hold", () -> holds.hold(decisionId));
    part(model, "reversals", () -> reversals.history(decisionId, REVERSALS_SHOWN, null));
    part(model, "outcome", () -> outcomes.find(decisionId));
    history(model, event.get("account_id") instanceof String account ? account : null);
    return "console/decisions/decision";
  }

  /** The account's last decisions: the timeline's points and the table's rows. */
  private void history(Model model, String accountId) {
    if (accountId == null) return;
    var filter = new JournalRepository.Filter(accountId, null, null, null, null, null, null, null, null, null, null, null, null);
    List<DecisionRows.Row> rows = DecisionRows.of(journal.query(filter, null, HISTORY_ROWS));
    model.addAttribute("accountId", accountId);
    model.addAttribute("history", rows.subList(0, Math.min(rows.size(), HISTORY_TABLE_ROWS)));
    model.addAttribute("historyCount", rows.size());
    model.addAttribute("timelineJson", DecisionRows.timelineJson(rows));
  }

  /** A sub-resource as its API route answers it, or, when that route answers an error, its message. */
  private static void part(Model model, String name, Supplier<Map<String, Object>> read) {
    try {
      model.addAttribute(name, read.get());
    } catch (ApiException e) {
      model.addAttribute(name + "Absent", e.getMessage());
    }
  }

  /** The largest contributions, for the chart (data-explanation). */
  @SuppressWarnings("unchecked")
  private static String explanationJson(Map<String, Object> why) {
    List<Map<String, Object>> features = (List<Map<String, Object>>) why.getOrDefault("features", List.of());
    List<Map<String, Object>> top = new ArrayList<>(features.subList(0, Math.min(features.size(), EXPLANATION_BARS)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bias", why.get("bias"));
    m.put("probability", why.get("probability"));
    m.put("features", top);
    return Json.write(m);
  }

  /** One field of the event: its path ("device.id", "attributes.channel") and its value as text. */
  public record Field(String name, String value) {}

  /** The event's fields, nested objects flattened to dotted paths, in the event's order. */
  @SuppressWarnings("unchecked")
  static List<Field> flatten(Map<String, Object> event) {
    List<Field> out = new ArrayList<>();
    Deque<Map.Entry<String, Object>> todo = new ArrayDeque<>();
    List<Map.Entry<String, Object>> top = new ArrayList<>(event.entrySet());
    for (int i = top.size() - 1; i >= 0; i--) todo.push(top.get(i));
    while (!todo.isEmpty() && out.size() < EVENT_FIELDS_MAX) { // no recursion: an explicit, bounded stack
      Map.Entry<String, Object> e = todo.pop();
      if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
        List<Map.Entry<String, Object>> inner = new ArrayList<>(((Map<String, Object>) nested).entrySet());
        for (int i = inner.size() - 1; i >= 0; i--) {
          todo.push(Map.entry(e.getKey() + "." + inner.get(i).getKey(), inner.get(i).getValue() == null ? "" : inner.get(i).getValue()));
        }
      } else {
        Object v = e.getValue();
        out.add(new Field(e.getKey(), v instanceof String s ? s : Json.write(v)));
      }
    }
    return out;
  }
}
