package io.vigil.server.cases.verdict;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.Reviewer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reopening a closed case takes two people: one asks (a reviewer, or a customer's appeal through the
 * payment system), another approves (a supervisor with a fresh step-up, never the requester). A
 * request expires after {@link #EXPIRY}; a case has at most one pending request.
 */
public final class ReopenService {
  /** How long a reopen request waits for its approval. */
  public static final Duration EXPIRY = Duration.ofDays(7);
  /** Requests a case lists at most. */
  public static final int LIST_ROWS_MAX = 50;

  private final CaseService cases;
  private final ReopenRepository requests;
  private final Clock clock;

  public ReopenService(CaseService cases, ReopenRepository requests, Clock clock) {
    this.cases = cases;
    this.requests = requests;
    this.clock = clock;
  }

  /**
   * Asks to reopen the closed case. {@code checkWorker}: a reviewer asks only on a queue they work;
   * an appeal (the payment system, for the holder) asks on any. {@code appealId} links the appeal.
   */
  public synchronized ReopenRepository.Request request(String caseId, String reason, Reviewer by, boolean checkWorker, String appealId) {
    CaseRecord r = cases.record(caseId);
    if (!r.status().isClosed()) {
      throw ApiException.conflict("invalid_request_error", "case_not_closed", "Only a closed case can be reopened", "case_id");
    }
    if (checkWorker) cases.mayWork(r, by);
    long now = clock.millis();
    Optional<ReopenRepository.Request> pending = requests.pending(caseId, now);
    if (pending.isPresent()) {
      throw ApiException.conflict("invalid_request_error", "reopen_request_pending",
          "The case already has a reopen request waiting for approval (" + pending.get().requestId() + ")", "case_id");
    }
    ReopenRepository.Request req = new ReopenRepository.Request(Ids.random("rr_"), caseId, reason, by.id(), now,
        now + EXPIRY.toMillis(), appealId, ReopenRepository.Request.PENDING, null, null);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("request_id", req.requestId());
    detail.put("reason", reason);
    detail.put("appeal_id", appealId);
    detail.put("expires_at_millis", req.expiresAtMillis());
    cases.event(caseId, by, "reopen_requested", detail, false, c -> {
      requests.insert(c, req);
      return true;
    });
    return req;
  }

  /** The case's pending request that has not expired, if any. */
  public Optional<ReopenRepository.Request> pending(String caseId) {
    return requests.pending(caseId, clock.millis());
  }

  /**
   * Approves the request and reopens the case, in one transaction: of two approvals of one request
   * exactly one wins (the other sees {@code reopen_request_decided}). The approver is not the requester.
   */
  public CaseRecord approve(String caseId, String requestId, Reviewer by) {
    ReopenRepository.Request req = requests.find(requestId).filter(x -> x.caseId().equals(caseId))
        .orElseThrow(() -> ApiException.notFound("reopen_request_not_found", "The case has no reopen request with this id", "request_id"));
    if (req.requestedBy().equals(by.id())) {
      throw ApiException.forbidden("self_approval", "A reopen request is approved by someone other than its requester", "request_id");
    }
    long now = clock.millis();
    String status = req.statusAt(now);
    if (status.equals(ReopenRepository.Request.EXPIRED)) throw expired(req);
    if (!status.equals(ReopenRepository.Request.PENDING)) throw decided();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("request_id", requestId);
    detail.put("requested_by", req.requestedBy());
    detail.put("reason", req.reason());
    detail.put("appeal_id", req.appealId());
    return cases.reopen(caseId, by, detail, (c, reopened) -> {
      if (!requests.approve(c, requestId, by.id(), now)) throw decided();
    });
  }

  private static ApiException expired(ReopenRepository.Request req) {
    return ApiException.conflict("invalid_request_error", "reopen_request_expired",
        "The reopen request expired " + EXPIRY.toDays() + " days after it was made; ask again", "request_id");
  }

  private static ApiException decided() {
    return ApiException.conflict("invalid_request_error", "reopen_request_decided", "The reopen request was already approved",
        "request_id");
  }

  public List<ReopenRepository.Request> ofCase(String caseId) {
    cases.record(caseId);
    return requests.ofCase(caseId, LIST_ROWS_MAX);
  }

  public Optional<ReopenRepository.Request> find(String requestId) {
    return requests.find(requestId);
  }

  public long now() {
    return clock.millis();
  }
}
