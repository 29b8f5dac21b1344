package io.vigil.server.cases.verdict;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.cases.CaseController;
import io.vigil.server.cases.CaseJson;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.operator.StepUpCheck;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Closing a case with a verdict, and reopening a closed one with a second person's approval. */
@RestController
public class VerdictController {
  private final VerdictService verdicts;
  private final ReopenService reopens;
  private final CaseService cases;
  private final StepUpCheck stepUp;

  public VerdictController(VerdictService verdicts, ReopenService reopens, CaseService cases, StepUpCheck stepUp) {
    this.verdicts = verdicts;
    this.reopens = reopens;
    this.cases = cases;
    this.stepUp = stepUp;
  }

  /**
   * {@code {"verdict", "reason_code", "hold", "restrictions", "list_entries", "confirm_list_entries", "expected_version"}}:
   * closes the case and applies what the verdict does; the answer lists each effect and whether it is applied.
   */
  @PostMapping("/v1/cases/{caseId}/verdict")
  public Map<String, Object> verdict(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = CaseController.reviewer(request);
    VerdictRequest req = VerdictRequest.parse(Bodies.read(request));
    requirePermissions(req, Principals.current(request));
    AuditContext.entity(request, "case", caseId);
    AuditContext.before(request, CaseJson.record(cases.record(caseId)));
    VerdictService.Closed closed = verdicts.close(caseId, req, by);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("case", CaseJson.record(closed.record()));
    answer.put("verdict", VerdictJson.verdict(closed.verdict(), closed.effects()));
    AuditContext.after(request, answer);
    return answer;
  }

  /**
   * A verdict does through the case what the reviewer's roles allow anyway: lifting restrictions
   * needs {@code accounts.restrict}, adding list entries {@code lists.write}, as their own routes do.
   */
  static void requirePermissions(VerdictRequest req, VigilPrincipal caller) {
    if (req.liftRestrictions() && !caller.has(Permission.ACCOUNTS_RESTRICT)) {
      throw ApiException.forbidden("permission_denied", "Lifting restrictions with a verdict needs the permission accounts.restrict",
          Permission.ACCOUNTS_RESTRICT.code());
    }
    if (!req.listEntries().isEmpty() && !caller.has(Permission.LISTS_WRITE)) {
      throw ApiException.forbidden("permission_denied", "Adding list entries with a verdict needs the permission lists.write",
          Permission.LISTS_WRITE.code());
    }
  }

  /** {@code {"reason"}}: asks to reopen the closed case; someone else approves. */
  @PostMapping("/v1/cases/{caseId}/reopen-requests")
  public ResponseEntity<Map<String, Object>> requestReopen(@PathVariable String caseId, HttpServletRequest request) {
    Reviewer by = CaseController.reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", true, CaseService.REASON_CHARS_MAX);
    Map<String, Object> created = VerdictJson.reopenRequest(reopens.request(caseId, reason, by, true, null), reopens.now());
    AuditContext.entity(request, "case", caseId);
    AuditContext.after(request, created);
    return ResponseEntity.status(201).body(created);
  }

  /** Approves the request (cases.supervise, a fresh step-up, not the requester): the case is reopened. */
  @PostMapping("/v1/cases/{caseId}/reopen-requests/{requestId}/approval")
  public Map<String, Object> approveReopen(@PathVariable String caseId, @PathVariable String requestId, HttpServletRequest request) {
    Reviewer by = CaseController.reviewer(request);
    Params.object(Bodies.read(request), Set.of());
    stepUp.require(request);
    AuditContext.before(request, CaseJson.record(cases.record(caseId)));
    Map<String, Object> after = CaseJson.record(reopens.approve(caseId, requestId, by));
    after.put("reopen_request", VerdictJson.reopenRequest(reopens.find(requestId).orElseThrow(), reopens.now()));
    AuditContext.after(request, after);
    return after;
  }

  @GetMapping("/v1/cases/{caseId}/reopen-requests")
  public Map<String, Object> reopenRequests(@PathVariable String caseId) {
    long now = reopens.now();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", reopens.ofCase(caseId).stream().map(r -> VerdictJson.reopenRequest(r, now)).toList());
    return m;
  }
}
