package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a case: opened or joined by a decision, assigned (by hand, take-next or automatically),
 * worked, escalated, closed with a verdict, reopened. Every change is one transaction that updates
 * the case's row against the version it read and appends its timeline entry; listeners hear of it
 * after it committed.
 */
public final class CaseService {
  private static final Logger log = LoggerFactory.getLogger(CaseService.class);

  /** Candidates take-next reads per attempt, and attempts before it reports the queue empty. */
  private static final int TAKE_CANDIDATES = 20;
  private static final int TAKE_ATTEMPTS = 5;
  public static final int COMMENT_CHARS_MAX = 4_000;
  public static final int REASON_CHARS_MAX = 1_000;

  private final CaseRepository cases;
  private final QueueService queues;
  private final Clock clock;
  private final boolean groupByAccount;
  private final List<CaseListener> listeners = new CopyOnWriteArrayList<>();

  public CaseService(CaseRepository cases, QueueService queues, Clock clock, boolean groupByAccount) {
    this.cases = cases;
    this.queues = queues;
    this.clock = clock;
    this.groupByAccount = groupByAccount;
  }

  public void addListener(CaseListener listener) {
    listeners.add(listener);
  }

  public QueueService queues() {
    return queues;
  }

  public Clock clock() {
    return clock;
  }

  // ---- reading

  public CaseView get(String caseId) {
    CaseRecord r = record(caseId);
    return new CaseView(r, cases.decisions(caseId), cases.entities(caseId));
  }

  public CaseRecord record(String caseId) {
    return cases.find(caseId).orElseThrow(() -> ApiException.notFound("case_not_found", "No case with this id", "case_id"));
  }

  public List<CaseRecord> list(CaseRepository.Filter f, Long beforeOpenedAtMillis, String beforeCaseId, int rows) {
    return cases.list(f, beforeOpenedAtMillis, beforeCaseId, rows);
  }

  public List<CaseEvent> timeline(String caseId, int afterSeq, int rows) {
    record(caseId);
    return cases.events(caseId, afterSeq, rows);
  }

  /** The cases this decision joined, oldest first. */
  public List<String> casesOfDecision(String decisionId) {
    return cases.casesOfDecision(decisionId);
  }

  /** The cases now closed as a duplicate of one of these. */
  public List<String> closedAsDuplicatesOf(Collection<String> caseIds) {
    return cases.closedAsDuplicatesOf(caseIds);
  }

  // ---- opening

  /** The outcome of {@link #openOrJoin}: the case, and whether this call opened it or joined it (false when a repeat). */
  public record Opened(CaseRecord record, boolean created, boolean joined) {}

  /**
   * Puts the decision in a case: the open case of its account when grouping by account, else a new
   * case in the queue routing picks. Idempotent on (decision, origin): a repeat answers the case it
   * joined the first time and changes nothing.
   */
  public synchronized Opened openOrJoin(CaseTrigger t, String actor) {
    long now = clock.millis();
    Opened opened = Sql.transaction(cases.dataSource(), c -> {
      Optional<String> already = cases.caseOfDecision(c, t.decisionId(), t.origin());
      if (already.isPresent()) return new Opened(cases.find(c, already.get()).orElseThrow(), false, false);
      Optional<CaseRecord> open = groupByAccount && t.accountId() != null ? cases.openOfAccount(c, t.accountId()) : Optional.empty();
      if (open.isPresent()) {
        CaseRecord joined = open.get().withPriority(t.priority(), now);
        if (!cases.update(c, joined)) throw changed();
        link(c, joined.caseId(), t, now);
        cases.appendEvent(c, joined.caseId(), now, actor, "decision_added", triggerDetail(t));
        return new Opened(joined, false, true);
      }
      CaseQueue q = queues.route(t);
      CaseRecord created = new CaseRecord(Ids.random("case_"), t.accountId(), q.queueId(), CaseStatus.OPEN, t.priority(), t.origin(),
          null, now, t.interceptedAtMillis(), t.interceptedAtMillis() + q.deadlineMillis(), null, null, null, null, null, null, 1, now);
      cases.insert(c, created);
      link(c, created.caseId(), t, now);
      Map<String, Object> detail = triggerDetail(t);
      detail.put("queue_id", q.queueId());
      detail.put("due_at_millis", created.dueAtMillis());
      cases.appendEvent(c, created.caseId(), now, actor, "opened", detail);
      return new Opened(created, true, false);
    }, "opening a case failed");
    if (opened.created() || opened.joined()) {
      tell(l -> l.opened(opened.record(), t, opened.created()));
      if (opened.created() && queues.get(opened.record().queueId()).autoAssign()) autoAssign(opened.record().caseId());
    }
    return opened;
  }

  private void link(Connection c, String caseId, CaseTrigger t, long now) throws SQLException {
    cases.addDecision(c, caseId, t.decisionId(), t.origin(), now);
    cases.addEntities(c, caseId, t.entities());
  }

  private static Map<String, Object> triggerDetail(CaseTrigger t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("decision_id", t.decisionId());
    d.put("origin", t.origin().wire());
    d.put("event_type", t.eventType());
    d.put("action", t.action());
    d.put("risk_level", t.riskLevel());
    d.put("rules", t.sortedRuleIds());
    return d;
  }

  // ---- assignment

  /**
   * Assigns the case to {@code assigneeId} (null unassigns). A reviewer assigns only themself, and
   * gives back only their own case, on a queue they may work; a supervisor assigns or unassigns
   * anyone who may work the queue.
   */
  public CaseRecord assign(String caseId, String assigneeId, Reviewer by, Long expectedVersion) {
    if (assigneeId != null && !assigneeId.equals(by.id()) && !by.supervisor()) {
      throw ApiException.forbidden("permission_denied", "Assigning a case to someone else needs the permission cases.supervise",
          "assignee_id");
    }
    CaseRecord after = change(caseId, expectedVersion, by, r -> {
      mayWork(r, by);
      if (assigneeId == null && r.assigneeId() != null && !r.assigneeId().equals(by.id()) && !by.supervisor()) {
        throw ApiException.forbidden("permission_denied", "Taking a case from another reviewer needs the permission cases.supervise",
            "assignee_id");
      }
      if (assigneeId != null && !queues.mayWork(queues.get(r.queueId()), assigneeId)) {
        throw ApiException.forbidden("not_queue_member", "The assignee is not a member of the case's queue", "assignee_id");
      }
      long now = clock.millis();
      CaseRecord next = r.withAssignee(assigneeId, now);
      if (assigneeId != null && (r.status() == CaseStatus.OPEN || r.status() == CaseStatus.REOPENED)) {
        next = next.withStatus(CaseStatus.IN_PROGRESS, now);
      }
      return next;
    }, assigneeId == null ? "unassigned" : "assigned", detail("assignee_id", assigneeId, "how", "manual"));
    tell(l -> l.assigned(after));
    return after;
  }

  /**
   * Takes the most urgent unassigned case (priority, then due time) of the queues this reviewer may
   * work (or of {@code queueId}) and locks it to them. Two reviewers never get the same case: the
   * update names the version read, and the loser tries the next candidate.
   */
  public CaseRecord takeNext(Reviewer by, String queueId) {
    List<String> from;
    if (queueId != null) {
      CaseQueue q = queues.get(queueId);
      if (!by.supervisor() && !queues.mayWork(q, by.id())) {
        throw ApiException.forbidden("not_queue_member", "You are not a member of this queue", "queue_id");
      }
      from = List.of(queueId);
    } else {
      from = by.supervisor() ? queues.all().stream().map(CaseQueue::queueId).toList() : queues.workable(by.id());
    }
    for (int attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
      List<CaseRecord> candidates = cases.waiting(from, TAKE_CANDIDATES);
      if (candidates.isEmpty()) break;
      for (CaseRecord candidate : candidates) {
        long now = clock.millis();
        CaseRecord won = bump(candidate.withAssignee(by.id(), now).withStatus(CaseStatus.IN_PROGRESS, now), candidate.version() + 1);
        boolean mine = Sql.transaction(cases.dataSource(), c -> {
          if (!cases.update(c, won)) return false;
          cases.appendEvent(c, won.caseId(), now, by.id(), "assigned", detail("assignee_id", by.id(), "how", "take_next"));
          return true;
        }, "taking a case failed");
        if (mine) {
          tell(l -> l.assigned(won));
          return won;
        }
      }
    }
    throw ApiException.notFound("no_case_waiting", "No unassigned case is waiting in the queues you work", "queue_id");
  }

  /**
   * Assigns a new case to the available member of its queue with the fewest open cases, under the
   * queue's cap; leaves it unassigned when every member is away or full (take-next still finds it).
   */
  public Optional<CaseRecord> autoAssign(String caseId) {
    CaseRecord r = record(caseId);
    CaseQueue q = queues.get(r.queueId());
    if (r.assigneeId() != null || q.members().isEmpty()) return Optional.empty();
    Set<String> away = queues.away();
    List<String> available = q.members().stream().filter(m -> !away.contains(m)).toList();
    Map<String, Long> load = cases.openLoad(available);
    Optional<String> pick = available.stream()
        .filter(m -> load.getOrDefault(m, 0L) < q.reviewerCap())
        .min(Comparator.<String>comparingLong(m -> load.getOrDefault(m, 0L)).thenComparing(m -> m));
    if (pick.isEmpty()) return Optional.empty();
    try {
      CaseRecord after = change(caseId, r.version(), Reviewer.SYSTEM, x -> x.withAssignee(pick.get(), clock.millis()), "assigned",
          detail("assignee_id", pick.get(), "how", "automatic"));
      tell(l -> l.assigned(after));
      return Optional.of(after);
    } catch (ApiException changedMeanwhile) {
      return Optional.empty();
    }
  }

  // ---- working

  /** Sets a working status (open, in progress, waiting for the customer). */
  public CaseRecord changeStatus(String caseId, CaseStatus status, Reviewer by, Long expectedVersion) {
    if (status == null || !CaseStatus.SETTABLE.contains(status)) {
      throw ApiException.invalid("invalid_status",
          "status must be open, in_progress or waiting_for_customer; a case is closed with a verdict and escalated by escalation", "status");
    }
    return change(caseId, expectedVersion, by, r -> {
      mayWork(r, by);
      return r.withStatus(status, clock.millis());
    }, "status_changed", detail("status", status.wire()));
  }

  public CaseEvent comment(String caseId, String text, Reviewer by) {
    if (text == null || text.isBlank()) throw ApiException.invalid("missing_field", "text is required", "text");
    if (text.length() > COMMENT_CHARS_MAX) {
      throw ApiException.invalid("text_too_long", "A comment has at most " + COMMENT_CHARS_MAX + " characters", "text");
    }
    return event(caseId, by, "commented", detail("text", text), true);
  }

  /**
   * Appends a timeline entry for something done to the case elsewhere (a label recorded, a hold
   * released, a notification sent). {@code checkWorker}: the reviewer must be allowed to work the case.
   */
  public CaseEvent event(String caseId, Reviewer by, String kind, Map<String, Object> detail, boolean checkWorker) {
    return event(caseId, by, kind, detail, checkWorker, c -> true);
  }

  /**
   * As {@link #event(String, Reviewer, String, Map, boolean)}, in one transaction with {@code first}:
   * the entry is appended only when {@code first} answers true (it marked something done that was not
   * yet), else nothing is written and the answer is null.
   */
  public CaseEvent event(String caseId, Reviewer by, String kind, Map<String, Object> detail, boolean checkWorker,
      Sql.Work<Boolean> first) {
    long now = clock.millis();
    return Sql.transaction(cases.dataSource(), c -> {
      CaseRecord r = cases.find(c, caseId).orElseThrow(CaseService::notFound);
      if (checkWorker) mayWork(r, by);
      if (!first.run(c)) return null;
      CaseRecord touched = bump(r, r.version() + 1);
      if (!cases.update(c, touched)) throw changed();
      return cases.appendEvent(c, caseId, now, by.id(), kind, detail);
    }, "recording a case event failed");
  }

  /**
   * Escalates: the case moves to its queue's escalation queue (unassigned there) or, without one,
   * stays where it is; its status becomes escalated.
   */
  public CaseRecord escalate(String caseId, String why, Reviewer by) {
    CaseRecord after = change(caseId, null, by, r -> {
      if (by != Reviewer.SYSTEM) mayWork(r, by);
      CaseQueue q = queues.get(r.queueId());
      long now = clock.millis();
      CaseRecord moved = q.escalationQueueId() == null ? r : r.withQueue(q.escalationQueueId(), r.dueAtMillis(), now)
          .withAssignee(null, now);
      return bump(moved.withStatus(CaseStatus.ESCALATED, now), r.version() + 1);
    }, "escalated", detail("reason", why));
    tell(l -> l.escalated(after, why));
    return after;
  }

  /**
   * Closes the case with a verdict. Only the case: what the verdict does to labels, holds,
   * restrictions and lists is the verdict's (see {@code io.vigil.server.cases.verdict}), and so is
   * the stored verdict row; the routes close cases through the verdict service only.
   */
  public CaseRecord close(String caseId, CaseVerdict verdict, String reasonCode, Reviewer by, Long expectedVersion,
      Map<String, Object> detail) {
    return close(caseId, verdict, reasonCode, by, expectedVersion, detail, InTransaction.NOTHING);
  }

  /**
   * As {@link #close(String, CaseVerdict, String, Reviewer, Long, Map)}, running {@code also} in the
   * transaction that closes the case (the verdict package stores the verdict's effects so): both
   * commit, or neither.
   */
  public CaseRecord close(String caseId, CaseVerdict verdict, String reasonCode, Reviewer by, Long expectedVersion,
      Map<String, Object> detail, InTransaction also) {
    Map<String, Object> d = new LinkedHashMap<>(detail);
    d.put("verdict", verdict.wire());
    d.put("reason_code", reasonCode);
    CaseRecord after = change(caseId, expectedVersion, by, r -> {
      mayWork(r, by);
      return bump(r.closed(verdict, reasonCode, by.id(), clock.millis()), r.version() + 1);
    }, "closed", d, false, also);
    tell(l -> l.closed(after));
    return after;
  }

  /** Work another package does in the transaction of a case's change, given the changed row; may throw to refuse it. */
  public interface InTransaction {
    InTransaction NOTHING = (c, changed) -> {};

    void run(Connection c, CaseRecord changed) throws SQLException;
  }

  /** Tells the listeners that a verdict's effects were all applied; settledDecisionIds: the holds it settled. */
  public void verdictApplied(String caseId, List<String> settledDecisionIds) {
    CaseRecord r = record(caseId);
    tell(l -> l.verdictApplied(r, settledDecisionIds));
  }

  /** Reopens a closed case (after a second person approved, or on an appeal); the deadline starts again. */
  public CaseRecord reopen(String caseId, Reviewer by, Map<String, Object> detail) {
    return reopen(caseId, by, detail, InTransaction.NOTHING);
  }

  /** As {@link #reopen(String, Reviewer, Map)}, running {@code also} in its transaction (an approved request marked so). */
  public CaseRecord reopen(String caseId, Reviewer by, Map<String, Object> detail, InTransaction also) {
    CaseRecord after = change(caseId, null, by, r -> {
      if (!r.status().isClosed()) {
        throw ApiException.conflict("invalid_request_error", "case_not_closed", "Only a closed case can be reopened", "case_id");
      }
      long now = clock.millis();
      return bump(r.reopened(now + queues.get(r.queueId()).deadlineMillis(), now), r.version() + 1);
    }, "reopened", detail, true, also);
    tell(l -> l.reopened(after));
    return after;
  }

  /**
   * Records the SLA warning or breach on the case (the SLA sweep), once: empty when it is recorded
   * already (another sweep, or a sweep before a restart, did it). A breach also sets the warning
   * time when no warning was recorded. Throws {@code case_closed} for a closed case.
   */
  public Optional<CaseRecord> markSla(String caseId, boolean breached) {
    try {
      return Optional.of(change(caseId, null, Reviewer.SYSTEM, r -> {
        if (breached ? r.slaBreachedAtMillis() != null : r.slaWarnedAtMillis() != null) throw AlreadyRecorded.INSTANCE;
        long now = clock.millis();
        return bump(breached ? r.withSla(r.slaWarnedAtMillis() == null ? now : r.slaWarnedAtMillis(), now, now)
            : r.withSla(now, r.slaBreachedAtMillis(), now), r.version() + 1);
      }, breached ? "sla_breached" : "sla_warning", Map.of()));
    } catch (AlreadyRecorded already) {
      return Optional.empty();
    }
  }

  /** Rolls back a mark that is already there; carries no stack trace (it is an answer, not a failure). */
  private static final class AlreadyRecorded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final AlreadyRecorded INSTANCE = new AlreadyRecorded();

    private AlreadyRecorded() {
      super("already recorded", null, false, false);
    }
  }

  // ---- helpers

  /** A change of a case that is not closed; see {@link #change(String, Long, Reviewer, Change, String, Map, boolean)}. */
  private CaseRecord change(String caseId, Long expectedVersion, Reviewer by, Change change, String kind, Map<String, Object> detail) {
    return change(caseId, expectedVersion, by, change, kind, detail, false, InTransaction.NOTHING);
  }

  /** One change: read, check the version asked for, write the new row against the version read, append the timeline entry. */
  private CaseRecord change(String caseId, Long expectedVersion, Reviewer by, Change change, String kind, Map<String, Object> detail,
      boolean closedAllowed, InTransaction also) {
    long now = clock.millis();
    return Sql.transaction(cases.dataSource(), c -> {
      CaseRecord r = cases.find(c, caseId).orElseThrow(CaseService::notFound);
      if (expectedVersion != null && expectedVersion != r.version()) throw changed();
      if (!closedAllowed && r.status().isClosed()) {
        throw ApiException.conflict("invalid_request_error", "case_closed",
            "The case is closed; reopening it needs a second person's approval", "case_id");
      }
      CaseRecord next = bump(change.apply(r), r.version() + 1);
      if (!cases.update(c, next)) throw changed();
      cases.appendEvent(c, caseId, now, by.id(), kind, detail);
      also.run(c, next);
      return next;
    }, "changing a case failed");
  }

  /** What a change does to the case's row; may throw to refuse. */
  private interface Change {
    CaseRecord apply(CaseRecord before);
  }

  /** The record with exactly this version (a change that chained several withers bumped it more than once). */
  private static CaseRecord bump(CaseRecord r, long version) {
    if (r.version() == version) return r;
    return new CaseRecord(r.caseId(), r.accountId(), r.queueId(), r.status(), r.priority(), r.origin(), r.assigneeId(),
        r.openedAtMillis(), r.interceptedAtMillis(), r.dueAtMillis(), r.slaWarnedAtMillis(), r.slaBreachedAtMillis(),
        r.closedAtMillis(), r.verdict(), r.reasonCode(), r.closedBy(), version, r.updatedAtMillis());
  }

  /** Refuses a reviewer who may not work the case's queue (supervisors may work any). */
  public void mayWork(CaseRecord r, Reviewer by) {
    if (by.supervisor()) return;
    if (!queues.mayWork(queues.get(r.queueId()), by.id())) {
      throw ApiException.forbidden("not_queue_member", "You are not a member of the case's queue (" + r.queueId() + ")", "case_id");
    }
  }

  private static ApiException notFound() {
    return ApiException.notFound("case_not_found", "No case with this id", "case_id");
  }

  private static ApiException changed() {
    return ApiException.conflict("invalid_request_error", "case_changed",
        "The case changed since you read it (another reviewer acted on it); read it again", "expected_version");
  }

  private static Map<String, Object> detail(Object... keyValues) {
    Map<String, Object> d = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) d.put((String) keyValues[i], keyValues[i + 1]);
    return d;
  }

  /**
   * Tells every listener, after a change committed (the SLA sweep tells of warnings and breaches
   * through here); a listener's failure is logged, never thrown to the caller.
   */
  public void tell(Consumer<CaseListener> call) {
    for (CaseListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("a case listener failed: {}", e.toString());
      }
    }
  }
}
