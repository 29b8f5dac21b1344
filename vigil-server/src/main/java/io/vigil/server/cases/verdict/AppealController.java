package io.vigil.server.cases.verdict;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Customers' appeals of denials, sent by payment systems on the holder's behalf, and their outcome. */
@RestController
public class AppealController {
  /** The longest appeal id, and the longest reason. */
  static final int APPEAL_ID_CHARS_MAX = 128;
  static final int REASON_CHARS_MAX = 1_000;

  private final AppealService appeals;
  private final CaseService cases;

  public AppealController(AppealService appeals, CaseService cases) {
    this.appeals = appeals;
    this.cases = cases;
  }

  /** {@code {"appeal_id", "reason", "channel"}}: 201 with what it did, 200 when it repeats a stored appeal. */
  @PostMapping("/v1/decisions/{decisionId}/appeal")
  public ResponseEntity<Map<String, Object>> appeal(@PathVariable String decisionId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("appeal_id", "reason", "channel"));
    String appealId = Params.identifier(Params.string(body, "appeal_id", true, APPEAL_ID_CHARS_MAX), "appeal_id");
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    String channel = Params.string(body, "channel", true, 32);
    if (!AppealService.CHANNELS.contains(channel)) {
      throw ApiException.invalid("invalid_channel", "channel must be app, call_centre, branch or email", "channel");
    }
    AppealService.Received r = appeals.receive(Params.identifier(decisionId, "decision_id"), appealId, reason, channel,
        Actor.of(request));
    Map<String, Object> answer = json(r.appeal());
    AuditContext.entity(request, "appeal", appealId);
    AuditContext.after(request, answer);
    return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(answer);
  }

  @GetMapping("/v1/appeals/{appealId}")
  public Map<String, Object> get(@PathVariable String appealId) {
    return json(appeals.get(appealId));
  }

  private Map<String, Object> json(AppealRepository.Appeal a) {
    CaseRecord c = cases.record(a.caseId());
    return VerdictJson.appeal(a, c, appeals.outcome(a, c));
  }
}
