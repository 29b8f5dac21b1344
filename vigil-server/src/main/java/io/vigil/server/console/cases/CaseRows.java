package io.vigil.server.console.cases;

import io.vigil.server.api.Json;
import io.vigil.server.cases.CaseEvent;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.console.decisions.DecisionRows;
import io.vigil.server.console.holds.HoldsController;
import io.vigil.server.journal.JournalRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cases, their decisions and their timeline entries as the console's pages show them: statuses and
 * kinds in words, due times with the time left (or how late, in words, not only in red), and each
 * timeline entry as a sentence with what else it recorded listed under it.
 */
public final class CaseRows {
  /** Reasons shown per linked decision. */
  static final int REASONS_SHOWN_MAX = 8;

  /** A due time as a table shows it: to the minute, in UTC. */
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private CaseRows() {}

  /** One row of the inbox. */
  public record Row(String caseId, String accountId, String queueId, String status, String statusLabel, int priority,
      String origin, String assigneeId, String dueAt, String dueShown, String dueText, boolean overdue, long decisions) {}

  /** One decision of the case with what the decision page would show first; {@code row} is null when it is not in the journal. */
  public record LinkedDecision(String decisionId, String origin, String addedAt, DecisionRows.Row row, List<Reason> reasons) {}

  /** One reason a decision gave. */
  public record Reason(String ruleId, String message) {}

  /** One timeline entry: a sentence, the decision it names (linked), a comment's text, and the rest of its detail. */
  public record Entry(int seq, String at, String actor, String kind, String summary, String decisionId, String text,
      List<Field> details) {}

  /** One detail of a timeline entry the sentence does not say. */
  public record Field(String name, String value) {}

  public static Row row(CaseRecord r, long decisions, long nowMillis) {
    boolean overdue = !r.status().isClosed() && r.dueAtMillis() < nowMillis;
    String dueText = r.status().isClosed() ? "closed" : HoldsController.timeLeft(r.dueAtMillis() - nowMillis);
    return new Row(r.caseId(), r.accountId(), r.queueId(), r.status().wire(), label(r.status().wire()), r.priority(),
        r.origin().wire(), r.assigneeId(), time(r.dueAtMillis()), MINUTES.format(Instant.ofEpochMilli(r.dueAtMillis())), dueText,
        overdue, decisions);
  }

  /** "in_progress" → "In progress". */
  public static String label(String wire) {
    if (wire == null || wire.isEmpty()) return "";
    String words = wire.replace('_', ' ');
    return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
  }

  static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  @SuppressWarnings("unchecked")
  public static LinkedDecision decision(String decisionId, String origin, long addedAtMillis, JournalRow journal) {
    if (journal == null) return new LinkedDecision(decisionId, origin, time(addedAtMillis), null, List.of());
    List<Reason> reasons = new ArrayList<>();
    if (Json.readMap(journal.record().responseJson()).get("reasons") instanceof List<?> list) {
      for (Object o : list) {
        if (reasons.size() == REASONS_SHOWN_MAX || !(o instanceof Map<?, ?> m)) break;
        reasons.add(new Reason(String.valueOf(m.get("rule_id")), String.valueOf(m.get("message"))));
      }
    }
    return new LinkedDecision(decisionId, origin, time(addedAtMillis), DecisionRows.of(journal), reasons);
  }

  /** The entry as a sentence; what the sentence does not say is listed under it. */
  public static Entry entry(CaseEvent e) {
    Map<String, Object> d = e.detail();
    String summary;
    Set<String> said;
    switch (e.kind()) {
      case "opened" -> {
        summary = "Opened in queue " + s(d, "queue_id") + " (" + s(d, "origin") + ", " + s(d, "event_type") + ", "
            + s(d, "action") + "), due " + s(d, "due_at_millis", true);
        said = Set.of("queue_id", "origin", "event_type", "action", "due_at_millis", "decision_id");
      }
      case "decision_added" -> {
        summary = "Decision joined (" + s(d, "origin") + ", " + s(d, "event_type") + ", " + s(d, "action") + ")";
        said = Set.of("origin", "event_type", "action", "decision_id");
      }
      case "assigned" -> {
        summary = "Assigned to " + s(d, "assignee_id") + how(s(d, "how"));
        said = Set.of("assignee_id", "how");
      }
      case "unassigned" -> {
        summary = "Unassigned";
        said = Set.of("assignee_id", "how");
      }
      case "status_changed" -> {
        summary = "Status set to " + label(s(d, "status")).toLowerCase(Locale.ROOT);
        said = Set.of("status");
      }
      case "commented" -> {
        summary = "Commented";
        said = Set.of("text");
      }
      case "attachment_added" -> {
        summary = "Attached " + s(d, "file_name") + " (" + s(d, "media_type") + ", " + s(d, "size_bytes") + " bytes)";
        said = Set.of("file_name", "media_type", "size_bytes", "attachment_id");
      }
      case "escalated" -> {
        summary = "Escalated: " + s(d, "reason");
        said = Set.of("reason");
      }
      case "closed" -> {
        summary = d.get("duplicate_of") instanceof String original ? "Closed as a duplicate of case " + original
            : "Closed: " + label(s(d, "verdict")).toLowerCase(Locale.ROOT) + ", reason " + s(d, "reason_code");
        said = d.containsKey("duplicate_of") ? Set.of("verdict", "reason_code", "duplicate_of") : Set.of("verdict", "reason_code");
      }
      case "duplicate_closed" -> {
        summary = "Case " + s(d, "case_id") + " was closed as a duplicate of this one";
        said = Set.of("case_id");
      }
      case "sla_warning" -> {
        summary = "Due soon: the deadline warning was sent";
        said = Set.of();
      }
      case "sla_breached" -> {
        summary = "Past its due time";
        said = Set.of();
      }
      default -> {
        summary = label(e.kind());
        said = Set.of();
      }
    }
    String decisionId = d.get("decision_id") instanceof String id && said.contains("decision_id") ? id : null;
    String text = "commented".equals(e.kind()) ? s(d, "text") : null;
    List<Field> details = new ArrayList<>();
    for (Map.Entry<String, Object> x : d.entrySet()) { // bounded by the entry's detail, written by the server
      if (said.contains(x.getKey()) || x.getValue() == null) continue;
      details.add(new Field(label(x.getKey()), x.getValue() instanceof String v ? v : Json.write(x.getValue())));
    }
    return new Entry(e.seq(), time(e.atMillis()), e.actor(), e.kind(), summary, decisionId, text, details);
  }

  private static String how(String how) {
    return switch (how) {
      case "take_next" -> " (took it with Take next)";
      case "automatic" -> " (automatically)";
      case "manual" -> " (by hand)";
      default -> how.isEmpty() ? "" : " (" + how + ")";
    };
  }

  private static String s(Map<String, Object> d, String key) {
    return s(d, key, false);
  }

  private static String s(Map<String, Object> d, String key, boolean millis) {
    Object v = d.get(key);
    if (v == null) return "";
    if (millis && v instanceof Number n) return time(n.longValue());
    return v instanceof String str ? str : Json.write(v);
  }
}
