package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Cases over HTTP: finding them, taking them, working them. Verdicts, appeals and bulk actions have their own routes. */
@RestController
public class CaseController {
  private final CaseService cases;
  private final CaseAttachments attachments;

  public CaseController(CaseService cases, CaseAttachments attachments) {
    this.cases = cases;
    this.attachments = attachments;
  }

  /** The signed-in operator as a reviewer; API keys do not work cases. */
  public static Reviewer reviewer(HttpServletRequest request) {
    VigilPrincipal p = Principals.current(request);
    if (!p.isOperator()) {
      throw ApiException.forbidden("permission_denied", "Cases are worked by signed-in operators, not API keys", Permission.CASES_WORK.code());
    }
    return new Reviewer(p.id(), p.has(Permission.CASES_SUPERVISE));
  }

  @GetMapping("/v1/cases")
  public Map<String, Object> list(@RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "queue_id", required = false) String queueId,
      @RequestParam(name = "assignee_id", required = false) String assigneeId,
      @RequestParam(name = "unassigned", required = false) Boolean unassigned,
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "origin", required = false) String origin,
      @RequestParam(name = "priority", required = false) Integer priority,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    CaseStatus s = null;
    Boolean closed = null;
    if ("active".equals(status)) {
      closed = false;
    } else if (status != null) {
      s = CaseStatus.ofWire(status);
      if (s == null) {
        throw ApiException.invalid("invalid_parameter",
            "status must be active, open, in_progress, waiting_for_customer, escalated, closed or reopened", "status");
      }
    }
    CaseOrigin o = null;
    if (origin != null && (o = CaseOrigin.ofWire(origin)) == null) {
      throw ApiException.invalid("invalid_parameter", "origin must be one of review, hold, challenge_failed, reversal_review, sample,"
          + " appeal, alert", "origin");
    }
    if (priority != null && (priority < 1 || priority > 4)) {
      throw ApiException.invalid("invalid_parameter", "priority must be 1 to 4", "priority");
    }
    CaseRepository.Filter f = new CaseRepository.Filter(s, closed, bounded(queueId, "queue_id"), bounded(assigneeId, "assignee_id"),
        unassigned, accountId == null ? null : Params.accountId(accountId), o, priority);
    List<CaseRecord> rows = cases.list(f, after == null ? null : after.atMillis(), after == null ? null : after.id(),
        Page.fetchSize(pageSize));
    return Page.of(rows, pageSize, CaseJson::record, r -> new TimeCursor(r.openedAtMillis(), r.caseId()).encode());
  }

  private static String bounded(String value, String param) {
    if (value == null) return null;
    return Params.identifier(value, param);
  }

  @GetMapping("/v1/cases/{caseId}")
  public Map<String, Object> get(@PathVariable String caseId) {
    Map<String, Object> m = CaseJson.view(cases.get(caseId));
    m.put("attachments", attachments.of(caseId).stream().map(CaseJson::attachment).toList());
    return m;
  }

  /** The timeline, oldest first; {@code starting_after} is the last {@code seq} seen. */
  @GetMapping("/v1/cases/{caseId}/timeline")
  public Map<String, Object> timeline(@PathVariable String caseId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Integer startingAfter) {
    int pageSize = Page.limit(limit);
    if (startingAfter != null && startingAfter < 0) {
      throw ApiException.invalid("invalid_parameter", "starting_after must be a seq this route returned", "starting_after");
    }
    return Page.of(cases.timeline(caseId, startingAfter == null ? 0 : startingAfter, Page.fetchSize(pageSize)), pageSize,
        CaseJson::event, CaseEvent::seq);
  }

  /** {@code {"assignee_id": "op_…" | null, "expected_version": n}}: yourself, or anyone with cases.supervise. */
  @PostMapping("/v1/cases/{caseId}/assignment")
  public Map<String, Object> assign(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("assignee_id", "expected_version"));
    if (!body.containsKey("assignee_id")) throw ApiException.invalid("missing_field", "assignee_id is required (null unassigns)", "assignee_id");
    String assignee = Params.string(body, "assignee_id", false, 128);
    AuditContext.before(request, CaseJson.record(cases.record(caseId)));
    Map<String, Object> after = CaseJson.record(cases.assign(caseId, assignee, by, expectedVersion(body)));
    AuditContext.after(request, after);
    return after;
  }

  /** {@code {"queue_id": "payments"}} (optional): the most urgent waiting case, now yours. */
  @PostMapping("/v1/cases/take-next")
  public Map<String, Object> takeNext(HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("queue_id"));
    Map<String, Object> after = CaseJson.record(cases.takeNext(by, Params.string(body, "queue_id", false, 64)));
    AuditContext.entity(request, "case", (String) after.get("case_id"));
    AuditContext.after(request, after);
    return after;
  }

  @PostMapping("/v1/cases/{caseId}/status")
  public Map<String, Object> status(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("status", "expected_version"));
    String wire = Params.string(body, "status", true, 32);
    AuditContext.before(request, CaseJson.record(cases.record(caseId)));
    Map<String, Object> after = CaseJson.record(cases.changeStatus(caseId, CaseStatus.ofWire(wire), by, expectedVersion(body)));
    AuditContext.after(request, after);
    return after;
  }

  @PostMapping("/v1/cases/{caseId}/comments")
  public Map<String, Object> comment(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("text"));
    if (body.get("text") != null && !(body.get("text") instanceof String)) {
      throw ApiException.invalid("invalid_field", "text must be a string", "text");
    }
    Map<String, Object> event = CaseJson.event(cases.comment(caseId, (String) body.get("text"), by));
    AuditContext.after(request, event);
    return event;
  }

  @PostMapping("/v1/cases/{caseId}/escalation")
  public Map<String, Object> escalate(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", true, CaseService.REASON_CHARS_MAX);
    AuditContext.before(request, CaseJson.record(cases.record(caseId)));
    Map<String, Object> after = CaseJson.record(cases.escalate(caseId, reason, by));
    AuditContext.after(request, after);
    return after;
  }

  /**
   * The file is the body, its type the {@code Content-Type} header, its name the {@code file_name}
   * parameter: {@code curl --data-binary @statement.pdf -H 'Content-Type: application/pdf' …?file_name=statement.pdf}.
   */
  @PostMapping("/v1/cases/{caseId}/attachments")
  public ResponseEntity<Map<String, Object>> attach(@PathVariable String caseId,
      @RequestParam(name = "file_name") String fileName,
      @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) String contentType, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    cases.record(caseId);
    String mediaType = contentType == null ? null : baseType(contentType);
    long bytesMax = attachments.limits().bytesMax();
    if (request.getContentLengthLong() > bytesMax) throw CaseAttachments.tooLarge(bytesMax);
    byte[] content = Bodies.read(request, (int) Math.min(Integer.MAX_VALUE - 8, bytesMax));
    Map<String, Object> added = CaseJson.attachment(attachments.add(caseId, fileName, mediaType, content, by));
    AuditContext.entity(request, "case", caseId);
    AuditContext.after(request, added);
    return ResponseEntity.status(201).body(added);
  }

  private static String baseType(String contentType) {
    try {
      MediaType t = MediaType.parseMediaType(contentType);
      return t.getType() + "/" + t.getSubtype();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @GetMapping(path = "/v1/cases/{caseId}/attachments/{attachmentId}",
      produces = {"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/octet-stream"})
  public ResponseEntity<byte[]> download(@PathVariable String caseId, @PathVariable String attachmentId) {
    CaseAttachments.Attachment meta = attachments.of(caseId).stream().filter(a -> a.attachmentId().equals(attachmentId)).findFirst()
        .orElseThrow(() -> ApiException.notFound("attachment_not_found", "The case has no file with this id", "attachment_id"));
    byte[] content = attachments.content(caseId, attachmentId).orElseThrow();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(meta.mediaType()))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(meta.fileName()).build().toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(content);
  }

  /** {@code {"away": true}}: an away reviewer gets no automatic assignments. Yourself, or anyone with cases.supervise. */
  @PutMapping("/v1/reviewers/{operatorId}/availability")
  public Map<String, Object> availability(@PathVariable String operatorId, HttpServletRequest request) {
    Reviewer by = reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("away"));
    if (!(body.get("away") instanceof Boolean away)) throw ApiException.invalid("missing_field", "away must be true or false", "away");
    if (!operatorId.equals(by.id()) && !by.supervisor()) {
      throw ApiException.forbidden("permission_denied", "Marking another reviewer away needs the permission cases.supervise",
          Permission.CASES_SUPERVISE.code());
    }
    cases.queues().setAway(Params.identifier(operatorId, "operator_id"), away, by.id());
    Map<String, Object> after = Map.of("operator_id", operatorId, "away", away);
    AuditContext.after(request, after);
    return after;
  }

  public static Long expectedVersion(Map<String, Object> body) {
    Object v = body.get("expected_version");
    if (v == null) return null;
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1) {
      throw ApiException.invalid("invalid_field", "expected_version must be the case's version, a whole number from 1", "expected_version");
    }
    return n.longValue();
  }
}
