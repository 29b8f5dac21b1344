package io.vigil.server.feedback;

import io.vigil.engine.label.Label;
import io.vigil.engine.label.LabelKind;
import io.vigil.engine.label.Verdict;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/feedback}: labels for decided events (P3). */
@RestController
public class FeedbackController {
  private static final Set<String> FIELDS = Set.of("label_id", "decision_id", "kind", "verdict", "reason_code", "outcome", "known_at");
  private final FeedbackService feedback;

  public FeedbackController(FeedbackService feedback) {
    this.feedback = feedback;
  }

  @PostMapping("/v1/feedback")
  public ResponseEntity<Map<String, Object>> record(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), FIELDS);
    String labelId = Params.string(body, "label_id", true, io.vigil.engine.Limits.EVENT_ID_CHARS_MAX);
    String decisionId = Params.string(body, "decision_id", true, 40);
    String kindName = Params.string(body, "kind", true, 32);
    LabelKind kind = LabelKind.fromWire(kindName);
    if (kind == null) {
      throw ApiException.invalid("invalid_kind",
          "kind must be fraud, legitimate, chargeback, authorization, reviewer_verdict or appeal", "kind");
    }
    Verdict verdict = verdict(kind, Params.string(body, "verdict", false, 16));
    long knownAt = knownAt(Params.string(body, "known_at", false, 64));
    FeedbackService.Result r = feedback.record(labelId, decisionId, kind, verdict, Params.string(body, "reason_code", false, 64),
        Params.string(body, "outcome", false, 16), knownAt, Actor.of(request));
    return ResponseEntity.status(r.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(json(r.stored(), r.replayed()));
  }

  @GetMapping("/v1/feedback")
  public Map<String, Object> list(@RequestParam("decision_id") String decisionId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    return Page.of(feedback.ofDecision(decisionId, after, Page.fetchSize(pageSize)), pageSize, s -> json(s, false),
        s -> new TimeCursor(s.label().knownAtMillis(), s.label().labelId()).encode());
  }

  /** fraud and legitimate imply their verdict; an authorization has none; the other kinds say it. */
  private static Verdict verdict(LabelKind kind, String given) {
    Verdict implied = switch (kind) {
      case FRAUD -> Verdict.FRAUD;
      case LEGITIMATE -> Verdict.LEGITIMATE;
      case AUTHORIZATION -> Verdict.NONE;
      default -> null;
    };
    if (given == null) {
      if (implied == null) throw ApiException.invalid("missing_field", "verdict is required for " + kind.wireName() + ": fraud or legitimate", "verdict");
      return implied;
    }
    Verdict v = Verdict.fromWire(given);
    if (v == null) throw ApiException.invalid("invalid_verdict", "verdict must be fraud, legitimate or none", "verdict");
    return v;
  }

  private static long knownAt(String text) {
    if (text == null) return 0;
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiException.invalid("invalid_timestamp", "known_at must be an RFC 3339 UTC time", "known_at");
    }
  }

  private static Map<String, Object> json(FeedbackRepository.Stored s, boolean replayed) {
    Label l = s.label();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label_id", l.labelId());
    m.put("decision_id", s.decisionId());
    m.put("event_id", l.eventId());
    m.put("kind", l.kind().wireName());
    m.put("verdict", l.verdict().wireName());
    if (l.reasonCode() != null) m.put("reason_code", l.reasonCode());
    if (l.outcome() != null) m.put("outcome", l.outcome());
    m.put("event_at", Instant.ofEpochMilli(l.eventAtMillis()).toString());
    m.put("known_at", Instant.ofEpochMilli(l.knownAtMillis()).toString());
    m.put("recorded_at", Instant.ofEpochMilli(s.recordedAtMillis()).toString());
    m.put("recorded_by", s.recordedBy());
    m.put("replayed", replayed);
    return m;
  }
}
