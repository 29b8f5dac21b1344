package io.vigil.server.hold;

import io.vigil.engine.policy.HoldPolicy;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.limit.LimitService;
import io.vigil.engine.policy.Action;
import io.vigil.engine.restriction.Restriction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Approvals of HOLD decisions (P2, first step). The hold's terms come from the decision's journaled
 * response, so they are as durable and tamper-evident as the decision; approvals are stored rows.
 * The state is computed when asked ({@link HoldTerms#state}), so no job runs for a hold to expire.
 */
public final class HoldService {
  private final JournalRepository decisions;
  private final ApprovalRepository approvals;
  private final ChallengeRepository challenges;
  private final RestrictionService restrictions;
  private final LimitService limits;
  private final Clock clock;

  public HoldService(JournalRepository decisions, ApprovalRepository approvals, ChallengeRepository challenges,
      RestrictionService restrictions, LimitService limits, Clock clock) {
    this.decisions = decisions;
    this.approvals = approvals;
    this.challenges = challenges;
    this.restrictions = restrictions;
    this.limits = limits;
    this.clock = clock;
  }

  /** Held decisions a page of the approvals inbox scans at most. */
  public static final int INBOX_ROWS_MAX = 200;

  /**
   * The newest held decisions (newest first, before {@code beforeSequence} when given), at most
   * {@code rows}, decided within the longest deadline a hold policy may set: older holds are
   * settled, expired at the latest. Reads the decisions' index on (action, sequence).
   */
  public List<JournalRow> recent(Long beforeSequence, int rows) {
    assert rows > 0 && rows <= INBOX_ROWS_MAX : rows;
    long from = clock.millis() - HoldPolicy.DEADLINE_MILLIS_MAX - INBOX_SLACK_MILLIS;
    JournalRepository.Filter held = new JournalRepository.Filter(null, null, Action.HOLD.name(), from, null, null, null, null,
        null, null, null, null, null);
    return decisions.query(held, beforeSequence, rows);
  }

  /** A day beyond the longest deadline: an event's time may precede its decision's. */
  private static final long INBOX_SLACK_MILLIS = 86_400_000L;

  /** The states of these held decisions (a page, at most {@link #INBOX_ROWS_MAX}), in their order; four queries. */
  public List<HoldState> states(List<JournalRow> rows) {
    assert rows.size() <= INBOX_ROWS_MAX : rows.size();
    List<String> ids = rows.stream().map(r -> r.record().decisionId()).toList();
    Map<String, List<ApprovalRepository.Approval>> given = approvals.ofAll(ids);
    Map<String, ChallengeRepository.Result> results = challenges.findAll(ids);
    Map<String, ApprovalRepository.Rejection> rejections = approvals.rejectionsOfAll(ids);
    Map<String, ApprovalRepository.Release> releases = approvals.releasesOfAll(ids);
    long now = clock.millis();
    List<HoldState> out = new ArrayList<>(rows.size());
    for (JournalRow row : rows) {
      String id = row.record().decisionId();
      out.add(terms(row).state(given.getOrDefault(id, List.of()), results.get(id), rejections.get(id), releases.get(id), now));
    }
    return out;
  }

  /** The held decision with this id, if there is one (empty for an unknown id or another action). */
  public java.util.Optional<JournalRow> held(String decisionId) {
    return decisions.findByDecisionId(decisionId).filter(r -> Action.HOLD.name().equals(r.action()));
  }

  public HoldState state(String decisionId) {
    HoldTerms t = terms(row(decisionId));
    return t.state(approvals.of(decisionId), challenges.find(decisionId).orElse(null), approvals.rejectionOf(decisionId),
        approvals.releaseOf(decisionId), clock.millis());
  }

  /**
   * Records one approval by the signed-in operator approverId (also the actor); refuses a party to the
   * payment, a second approval by one operator, and late or needless ones. Holds are raised by payment
   * systems' decisions, not by operators, so no operator is the requester of a hold.
   */
  public synchronized HoldState approve(String decisionId, String approverId, String role, String actor) {
    if (!HoldPolicy.ROLES.contains(role)) {
      throw ApiException.invalid("invalid_role", "role must be approver or supervisor", "role");
    }
    JournalRow row = row(decisionId);
    HoldTerms t = terms(row);
    if (parties(row).contains(approverId)) {
      throw new ApiException(403, "permission_error", "self_approval",
          "A party to the payment (its account, counterparty or merchant) cannot approve its hold", null);
    }
    if (restrictions.stopping(t.accountId(), t.merchantId(), t.eventType()) != null) {
      throw ApiException.conflict("invalid_request_error", "account_restricted",
          "The account or the merchant has a restriction in force that stops this payment; it cannot be approved", "decision_id");
    }
    long now = clock.millis();
    ChallengeRepository.Result challenge = challenges.find(decisionId).orElse(null);
    HoldState before = t.state(approvals.of(decisionId), challenge, approvals.rejectionOf(decisionId),
        approvals.releaseOf(decisionId), now);
    if (!before.status().equals(HoldState.PENDING)) throw closed(before.status());
    try {
      approvals.insert(new ApprovalRepository.Approval(decisionId, approverId, role, now, actor));
    } catch (ApprovalRepository.DuplicateApprover e) {
      throw ApiException.conflict("invalid_request_error", "duplicate_approver", "This operator has already approved this hold",
          null);
    }
    return t.state(approvals.of(decisionId), challenge, null, now);
  }

  /**
   * Records the signed-in operator's rejection of a pending hold (also the actor): the payment is
   * refused at once, outcome DENY, and its limit reservation is given back (as for a failed
   * challenge; the release records who rejected it). Refuses a party to the payment and a hold no
   * longer pending; an operator who approved it may still reject it while it waits.
   */
  public synchronized HoldState reject(String decisionId, String operatorId, String reason, String actor) {
    JournalRow row = row(decisionId);
    HoldTerms t = terms(row);
    if (parties(row).contains(operatorId)) {
      throw new ApiException(403, "permission_error", "self_approval",
          "A party to the payment (its account, counterparty or merchant) cannot approve or reject its hold", null);
    }
    long now = clock.millis();
    ChallengeRepository.Result challenge = challenges.find(decisionId).orElse(null);
    List<ApprovalRepository.Approval> given = approvals.of(decisionId);
    HoldState before = t.state(given, challenge, approvals.rejectionOf(decisionId), approvals.releaseOf(decisionId), now);
    if (!before.status().equals(HoldState.PENDING)) throw closed(before.status());
    ApprovalRepository.Rejection rejection = new ApprovalRepository.Rejection(decisionId, operatorId, now, reason, actor);
    try {
      approvals.insertRejection(rejection);
    } catch (ApprovalRepository.AlreadyRejected e) {
      throw closed(HoldState.REJECTED);
    }
    limits.releaseIfReserved(decisionId, LimitService.HOLD_REJECTED, "hold rejected by " + operatorId, actor);
    return t.state(given, challenge, rejection, now);
  }

  /**
   * Releases a pending hold with a case verdict: the reviewer (operatorId, also recorded as the
   * actor) found the payment legitimate, and the hold is approved by this release (outcome ALLOW),
   * whatever step-up it still waited for. Only for a hold one person may settle: the verdict's effects
   * leave a hold that needs more approvers (or a role) to them. Keeps the rules of an approval: a party to
   * the payment cannot release it, a restriction in force that stops it refuses the release, and a
   * hold no longer pending refuses with its status.
   */
  public synchronized HoldState release(String decisionId, String operatorId, String caseId, String reason, String actor) {
    JournalRow row = row(decisionId);
    HoldTerms t = terms(row);
    checkRelease(row, t, operatorId, Set.of());
    long now = clock.millis();
    ChallengeRepository.Result challenge = challenges.find(decisionId).orElse(null);
    List<ApprovalRepository.Approval> given = approvals.of(decisionId);
    HoldState before = t.state(given, challenge, approvals.rejectionOf(decisionId), approvals.releaseOf(decisionId), now);
    if (!before.status().equals(HoldState.PENDING)) throw closed(before.status());
    ApprovalRepository.Release release = new ApprovalRepository.Release(decisionId, operatorId, now, caseId, reason, actor);
    try {
      approvals.insertRelease(release);
    } catch (ApprovalRepository.AlreadyReleased e) {
      throw closed(HoldState.APPROVED);
    }
    return t.state(given, challenge, null, release, now);
  }

  /**
   * Refuses, before anything is written, a release {@link #release} would refuse for who asks or for
   * the account: a party to the payment, or a restriction in force that stops it.
   */
  public void checkRelease(String decisionId, String operatorId, Set<String> liftedFirst) {
    JournalRow row = row(decisionId);
    checkRelease(row, terms(row), operatorId, liftedFirst);
  }

  /** Refuses, before anything is written, a party to the payment as the person who settles its hold (a rejection with a verdict). */
  public void checkDecider(String decisionId, String operatorId) {
    checkDecider(row(decisionId), operatorId);
  }

  private static void checkDecider(JournalRow row, String operatorId) {
    if (parties(row).contains(operatorId)) {
      throw new ApiException(403, "permission_error", "self_approval",
          "A party to the payment (its account, counterparty or merchant) cannot release or reject its hold", "hold");
    }
  }

  /** liftedFirst: the ids of restrictions that will be lifted before the release (a verdict that lifts them). */
  private void checkRelease(JournalRow row, HoldTerms t, String operatorId, Set<String> liftedFirst) {
    checkDecider(row, operatorId);
    Restriction stopping = restrictions.stopping(t.accountId(), t.merchantId(), t.eventType());
    if (stopping != null && !liftedFirst.contains(stopping.id())) {
      throw ApiException.conflict("invalid_request_error", "account_restricted",
          "The account or the merchant has a restriction in force that stops this payment; it cannot be released", "hold");
    }
  }

  /** The refusal of an approval for a hold that is no longer pending. */
  private static ApiException closed(String status) {
    String message = "The hold is " + status + "; it takes no more approvals";
    return switch (status) {
      case HoldState.APPROVED -> ApiException.conflict("invalid_request_error", "hold_approved", message, "decision_id");
      case HoldState.EXPIRED -> ApiException.conflict("invalid_request_error", "hold_expired", message, "decision_id");
      default -> ApiException.conflict("invalid_request_error", "hold_rejected", message, "decision_id");
    };
  }

  private JournalRow row(String decisionId) {
    return decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
  }

  /** The parties to the held payment as its event names them: its account, counterparty and merchant. */
  private static Set<String> parties(JournalRow row) {
    Map<String, Object> event = Json.readMap(row.record().eventJson());
    Set<String> parties = new HashSet<>();
    for (String key : List.of("account_id", "counterparty_id", "merchant_id")) {
      if (event.get(key) instanceof String party) parties.add(party);
    }
    return parties;
  }

  /** The hold's terms as the decision recorded them. */
  private static HoldTerms terms(JournalRow row) {
    HoldTerms terms = HoldTerms.of(row, Json.readMap(row.record().responseJson()));
    if (terms == null) throw ApiException.conflict("invalid_request_error", "not_held", "This decision is not a HOLD", "decision_id");
    return terms;
  }
}
