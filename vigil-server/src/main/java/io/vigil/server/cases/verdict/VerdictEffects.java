package io.vigil.server.cases.verdict;

import io.vigil.engine.label.LabelKind;
import io.vigil.engine.label.Verdict;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.restriction.Restriction;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.feedback.FeedbackService;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.list.ListService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a verdict's effects, each one idempotently, and marks each applied in the transaction that
 * writes its timeline entry (so an effect is recorded once). An effect that fails is counted and
 * left for the next pass; the re-applier runs a pass at start and then periodically, so a verdict
 * whose effects were not all applied (the server stopped in between, a hold that a restriction
 * placed meanwhile refused) is finished later. Effects run in their stored order: labels, then the
 * account's restrictions, then holds (a release after the lift it may need), then list entries.
 */
public final class VerdictEffects implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerdictEffects.class);

  public static final String LABEL = "label";
  public static final String RESTRICTION_LIFT = "restriction_lift";
  public static final String HOLD_RELEASE = "hold_release";
  public static final String HOLD_DENY = "hold_deny";
  public static final String LIST_ENTRY = "list_entry";
  /** Verdicts one pass of the re-applier reads at most. */
  static final int PASS_VERDICTS_MAX = 100;
  /** Attempts after which an effect is left alone (logged): a refusal that does not go away needs a person. */
  static final int ATTEMPTS_MAX = 100;

  private final VerdictRepository verdicts;
  private final CaseService cases;
  private final FeedbackService feedback;
  private final HoldService holds;
  private final RestrictionService restrictions;
  private final ListService lists;
  private final Clock clock;
  private ScheduledThreadPoolExecutor timer;

  public VerdictEffects(VerdictRepository verdicts, CaseService cases, FeedbackService feedback, HoldService holds,
      RestrictionService restrictions, ListService lists, Clock clock) {
    this.verdicts = verdicts;
    this.cases = cases;
    this.feedback = feedback;
    this.holds = holds;
    this.restrictions = restrictions;
    this.lists = lists;
    this.clock = clock;
  }

  /** Runs a pass now and then every {@code periodMillis}, on a thread of its own. */
  public synchronized VerdictEffects start(long periodMillis) {
    assert periodMillis > 0 : periodMillis;
    if (timer != null) return this;
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-verdict-effects");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::passQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      log.warn("re-applying verdict effects failed: {}", e.toString());
    }
  }

  /** Applies what is left of the verdicts not yet applied, oldest first; the number finished in this pass. */
  public int pass() {
    int finished = 0;
    for (VerdictRepository.Stored v : verdicts.unapplied(ATTEMPTS_MAX, PASS_VERDICTS_MAX)) {
      if (apply(v.verdictId())) finished++;
    }
    return finished;
  }

  /**
   * Applies the verdict's effects not yet applied; true when all are applied now (the verdict is
   * then marked applied and the case's listeners told, once).
   */
  public synchronized boolean apply(String verdictId) {
    VerdictRepository.Stored v = verdicts.find(verdictId).orElseThrow();
    if (v.appliedAtMillis() != null) return true;
    boolean all = true;
    for (VerdictRepository.Effect e : verdicts.effects(verdictId)) {
      if (e.applied()) continue;
      if (e.attempts() >= ATTEMPTS_MAX) {
        all = false;
        continue;
      }
      try {
        applyOne(v, e);
      } catch (RuntimeException failed) {
        all = false;
        String why = failed instanceof ApiException a ? a.code() + ": " + a.getMessage() : failed.toString();
        log.warn("verdict {} effect {} ({} {}) failed, left for the next pass: {}", verdictId, e.seq(), e.kind(), e.target(), why);
        verdicts.recordFailure(verdictId, e.seq(), why);
      }
    }
    if (!all) return false;
    if (verdicts.markVerdictApplied(verdictId, clock.millis())) {
      List<String> settled = verdicts.effects(verdictId).stream()
          .filter(e -> e.kind().equals(HOLD_RELEASE) || e.kind().equals(HOLD_DENY))
          .filter(e -> Boolean.TRUE.equals(e.result().get("settled")))
          .map(VerdictRepository.Effect::target).toList();
      cases.verdictApplied(v.caseId(), settled);
    }
    return true;
  }

  private void applyOne(VerdictRepository.Stored v, VerdictRepository.Effect e) {
    Reviewer reviewer = new Reviewer(v.reviewerId(), false);
    Map<String, Object> result;
    Map<String, Object> detail = e.detail();
    String event;
    switch (e.kind()) {
      case LABEL -> {
        result = label(v, e);
        event = "label_recorded";
      }
      case RESTRICTION_LIFT -> {
        result = lift(v, e.target());
        event = "restriction_lifted";
      }
      case HOLD_RELEASE -> {
        result = release(v, e.target());
        event = Boolean.TRUE.equals(result.get("left_for_approvers")) ? "hold_left_for_approvers" : "hold_released";
      }
      case HOLD_DENY -> {
        result = deny(v, e.target());
        event = "hold_denied";
      }
      case LIST_ENTRY -> {
        result = listEntry(v, e);
        detail = Map.of("list", e.detail().get("list"), "entity", e.detail().get("entity"), "entry_id", result.get("entry_id"));
        event = "list_entry_added";
      }
      default -> throw new IllegalStateException("unknown verdict effect " + e.kind());
    }
    Map<String, Object> timeline = new LinkedHashMap<>(result);
    timeline.put("verdict_id", v.verdictId());
    long now = clock.millis();
    Map<String, Object> stored = detail;
    cases.event(v.caseId(), reviewer, event, timeline, false, c -> verdicts.markApplied(c, v.verdictId(), e.seq(), now, result, stored));
  }

  /** The label id of a verdict's label for a decision: the same on every retry. */
  static String labelId(String verdictId, String decisionId) {
    return verdictId + ":" + decisionId;
  }

  private Map<String, Object> label(VerdictRepository.Stored v, VerdictRepository.Effect e) {
    boolean fraud = CaseVerdict.CONFIRMED_FRAUD.wire().equals(v.verdict());
    assert fraud || CaseVerdict.LEGITIMATE.wire().equals(v.verdict()) : v.verdict();
    String labelId = labelId(v.verdictId(), e.target());
    FeedbackService.Result r = feedback.record(labelId, e.target(), fraud ? LabelKind.FRAUD : LabelKind.LEGITIMATE,
        fraud ? Verdict.FRAUD : Verdict.LEGITIMATE, null, null, 0, v.reviewerId()); // a label's reason_code is a chargeback's
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", e.target());
    m.put("label_id", labelId);
    m.put("kind", fraud ? LabelKind.FRAUD.wireName() : LabelKind.LEGITIMATE.wireName());
    m.put("known_at_millis", r.stored().label().knownAtMillis());
    return m;
  }

  /** Lifts the restrictions in force on the account that an operator may lift; a holder's own lock stays (the holder unlocks it). */
  private Map<String, Object> lift(VerdictRepository.Stored v, String accountId) {
    List<String> lifted = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    String reason = "case " + v.caseId() + " closed " + v.verdict() + " (" + v.reasonCode() + ")";
    for (Restriction r : restrictions.active(accountId)) {
      if (Restriction.SOURCE_HOLDER.equals(r.source())) {
        kept.add(r.id());
        continue;
      }
      try {
        restrictions.lift(accountId, r.id(), reason, v.reviewerId());
        lifted.add(r.id());
      } catch (ApiException gone) {
        if (!"restriction_not_found".equals(gone.code())) throw gone; // lifted or expired meanwhile
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", accountId);
    m.put("lifted", lifted);
    m.put("kept_holder_locks", kept);
    return m;
  }

  /**
   * Releases a pending hold that one person may settle. A hold whose policy asks for more than one
   * approval, or for a role (two approvers, a supervisor), is not released by one reviewer's verdict:
   * it stays pending for its approvers, who see the verdict on the case, and the result says so.
   */
  private Map<String, Object> release(VerdictRepository.Stored v, String decisionId) {
    HoldState s = holds.state(decisionId);
    if (s.status().equals(HoldState.PENDING) && needsApprovers(s)) {
      Map<String, Object> left = holdResult(decisionId, s, false);
      left.put("left_for_approvers", true);
      left.put("approvals_required", s.approvalsRequired());
      return left;
    }
    if (s.status().equals(HoldState.PENDING)) {
      s = holds.release(decisionId, v.reviewerId(), v.caseId(), "case verdict " + v.verdict() + " (" + v.reasonCode() + ")",
          v.reviewerId());
    }
    boolean ours = s.release() != null && v.caseId().equals(s.release().caseId());
    return holdResult(decisionId, s, ours);
  }

  /** Whether the hold's policy wants more than one person, or a particular role, to approve it. */
  static boolean needsApprovers(HoldState s) {
    return s.approvalsRequired() > 1 || !s.requiredRoles().isEmpty();
  }

  private Map<String, Object> deny(VerdictRepository.Stored v, String decisionId) {
    HoldState s = holds.state(decisionId);
    if (s.status().equals(HoldState.PENDING)) {
      s = holds.reject(decisionId, v.reviewerId(), "case " + v.caseId() + " verdict " + v.verdict() + " (" + v.reasonCode() + ")",
          v.reviewerId());
    }
    boolean ours = s.rejection() != null && v.reviewerId().equals(s.rejection().rejectedBy())
        && s.rejection().reason() != null && s.rejection().reason().startsWith("case " + v.caseId() + " ");
    return holdResult(decisionId, s, ours);
  }

  /** settled: this verdict settled the hold; otherwise it was settled already (approved, rejected or expired) when applied. */
  private static Map<String, Object> holdResult(String decisionId, HoldState s, boolean settled) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", decisionId);
    m.put("settled", settled);
    m.put("status", s.status());
    m.put("outcome", s.outcome() == null ? null : s.outcome().name());
    return m;
  }

  private Map<String, Object> listEntry(VerdictRepository.Stored v, VerdictRepository.Effect e) {
    ListEntry wanted = lists.check(e.detail(), v.reviewerId());
    ListEntry entry = lists.find(wanted.kind(), wanted.entity(), wanted.value()).orElse(null);
    boolean already = entry != null;
    if (entry == null) {
      try {
        entry = lists.create(e.detail(), v.reviewerId());
      } catch (ApiException exists) {
        if (!"list_entry_exists".equals(exists.code())) throw exists;
        entry = lists.find(wanted.kind(), wanted.entity(), wanted.value()).orElseThrow(() -> exists);
        already = true;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entry_id", entry.id());
    m.put("list", entry.kind().wireName());
    m.put("entity", entry.entity().wireName());
    m.put("already_listed", already);
    return m;
  }

  @Override
  public synchronized void close() {
    if (timer != null) timer.shutdownNow();
  }
}
