package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.operator.OperatorRepository;
import io.vigil.server.security.Principals;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** Case queues: their routing, deadlines, escalation and members. */
@RestController
public class QueueController {
  private static final Set<String> FIELDS = Set.of("queue_id", "name", "position", "deadline_minutes", "warning_minutes",
      "escalation_queue_id", "auto_assign", "reviewer_cap", "routing");
  private static final int NAME_CHARS_MAX = 200;

  private final QueueService queues;
  private final OperatorRepository operators;

  public QueueController(QueueService queues, OperatorRepository operators) {
    this.queues = queues;
    this.operators = operators;
  }

  @GetMapping("/v1/case-queues")
  public Map<String, Object> list() {
    return Map.of("data", queues.all().stream().map(QueueJson::queue).toList(), "has_more", false);
  }

  @GetMapping("/v1/case-queues/{queueId}")
  public Map<String, Object> get(@PathVariable String queueId) {
    return QueueJson.queue(queues.get(queueId));
  }

  @PostMapping("/v1/case-queues")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), FIELDS);
    String id = Params.identifier(Params.string(body, "queue_id", true, 64), "queue_id");
    if (queues.find(id).isPresent()) {
      throw ApiException.conflict("invalid_request_error", "queue_exists", "A queue with this id exists; change it with PUT", "queue_id");
    }
    CaseQueue q = queues.save(parse(id, body, null), actor(request));
    AuditContext.entity(request, "case_queue", id);
    AuditContext.after(request, QueueJson.queue(q));
    return ResponseEntity.status(201).body(QueueJson.queue(q));
  }

  /** Replaces the fields given; the others keep their values. */
  @PutMapping("/v1/case-queues/{queueId}")
  public Map<String, Object> update(@PathVariable String queueId, HttpServletRequest request) {
    CaseQueue before = queues.get(queueId);
    Map<String, Object> body = Params.object(Bodies.read(request), FIELDS);
    if (body.containsKey("queue_id") && !queueId.equals(body.get("queue_id"))) {
      throw ApiException.invalid("invalid_field", "queue_id cannot change", "queue_id");
    }
    AuditContext.before(request, QueueJson.queue(before));
    Map<String, Object> after = QueueJson.queue(queues.save(parse(queueId, body, before), actor(request)));
    AuditContext.after(request, after);
    return after;
  }

  /** {@code {"operator_ids": [...]}}: who works the queue; an empty list lets every reviewer work it. */
  @PutMapping("/v1/case-queues/{queueId}/members")
  public Map<String, Object> members(@PathVariable String queueId, HttpServletRequest request) {
    CaseQueue before = queues.get(queueId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("operator_ids"));
    if (!(body.get("operator_ids") instanceof List<?> ids) || ids.size() > CaseQueue.MEMBERS_MAX) {
      throw ApiException.invalid("invalid_members", "operator_ids must list at most " + CaseQueue.MEMBERS_MAX + " operators", "operator_ids");
    }
    List<String> members = new ArrayList<>();
    for (Object o : ids) {
      if (!(o instanceof String id) || id.length() > 128 || operators.find(id).isEmpty()) {
        throw ApiException.invalid("unknown_operator", "operator_ids names an operator that does not exist", "operator_ids");
      }
      members.add(id);
    }
    AuditContext.before(request, QueueJson.queue(before));
    Map<String, Object> after = QueueJson.queue(queues.setMembers(queueId, members, actor(request)));
    AuditContext.after(request, after);
    return after;
  }

  private static String actor(HttpServletRequest request) {
    return Principals.current(request).id();
  }

  private static CaseQueue parse(String id, Map<String, Object> body, CaseQueue before) {
    String name = body.containsKey("name") ? Params.string(body, "name", true, NAME_CHARS_MAX) : before == null ? null : before.name();
    if (name == null || name.isBlank()) throw ApiException.invalid("missing_field", "name is required", "name");
    int position = (int) number(body, "position", before == null ? 100 : before.position(), 0, 1_000_000);
    long deadlineMinutes = number(body, "deadline_minutes",
        before == null ? CaseQueue.DEADLINE_MILLIS_DEFAULT / 60_000 : before.deadlineMillis() / 60_000, 1,
        CaseQueue.DEADLINE_MILLIS_MAX / 60_000);
    long warningMinutes = number(body, "warning_minutes", before == null ? Math.min(240, deadlineMinutes / 2) : before.warningMillis() / 60_000,
        0, deadlineMinutes - 1);
    String escalation = body.containsKey("escalation_queue_id") ? Params.string(body, "escalation_queue_id", false, 64)
        : before == null ? null : before.escalationQueueId();
    boolean autoAssign = body.containsKey("auto_assign") ? bool(body, "auto_assign") : before != null && before.autoAssign();
    int cap = (int) number(body, "reviewer_cap", before == null ? 50 : before.reviewerCap(), 1, CaseQueue.REVIEWER_CAP_MAX);
    List<RoutingRule> routing = body.containsKey("routing") ? QueueJson.rules(body.get("routing"), "routing")
        : before == null ? List.of() : before.routing();
    return new CaseQueue(id, name, position, deadlineMinutes * 60_000, warningMinutes * 60_000, escalation, autoAssign, cap, routing,
        before == null ? List.of() : before.members());
  }

  private static long number(Map<String, Object> body, String key, long fallback, long min, long max) {
    Object v = body.get(key);
    if (v == null) return fallback;
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < min || n.longValue() > max) {
      throw ApiException.invalid("invalid_field", key + " must be a whole number from " + min + " to " + max, key);
    }
    return n.longValue();
  }

  private static boolean bool(Map<String, Object> body, String key) {
    if (!(body.get(key) instanceof Boolean b)) throw ApiException.invalid("invalid_field", key + " must be true or false", key);
    return b;
  }
}
