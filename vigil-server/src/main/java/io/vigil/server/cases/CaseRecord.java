package io.vigil.server.cases;

/**
 * One row of the {@code cases} table. {@code version} counts the case's changes: an update names the
 * version it read and loses to any change made since (the caller sees {@code case_changed}).
 *
 * @param origin why the case was opened (the first decision's origin)
 * @param interceptedAtMillis when the first decision was made: the deadline counts from here
 */
public record CaseRecord(String caseId, String accountId, String queueId, CaseStatus status, int priority, CaseOrigin origin,
    String assigneeId, long openedAtMillis, long interceptedAtMillis, long dueAtMillis, Long slaWarnedAtMillis,
    Long slaBreachedAtMillis, Long closedAtMillis, CaseVerdict verdict, String reasonCode, String closedBy, long version,
    long updatedAtMillis) {

  public CaseRecord withStatus(CaseStatus newStatus, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, newStatus, priority, origin, assigneeId, openedAtMillis,
        interceptedAtMillis, dueAtMillis, slaWarnedAtMillis, slaBreachedAtMillis, closedAtMillis, verdict, reasonCode, closedBy,
        version + 1, nowMillis);
  }

  public CaseRecord withAssignee(String newAssignee, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, status, priority, origin, newAssignee, openedAtMillis, interceptedAtMillis,
        dueAtMillis, slaWarnedAtMillis, slaBreachedAtMillis, closedAtMillis, verdict, reasonCode, closedBy, version + 1, nowMillis);
  }

  public CaseRecord withQueue(String newQueue, long newDueAtMillis, long nowMillis) {
    return new CaseRecord(caseId, accountId, newQueue, status, priority, origin, assigneeId, openedAtMillis, interceptedAtMillis,
        newDueAtMillis, slaWarnedAtMillis, slaBreachedAtMillis, closedAtMillis, verdict, reasonCode, closedBy, version + 1,
        nowMillis);
  }

  /** The more urgent of this case's priority and {@code other}. */
  public CaseRecord withPriority(int other, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, status, Math.min(priority, other), origin, assigneeId, openedAtMillis,
        interceptedAtMillis, dueAtMillis, slaWarnedAtMillis, slaBreachedAtMillis, closedAtMillis, verdict, reasonCode, closedBy,
        version + 1, nowMillis);
  }

  public CaseRecord withSla(Long warnedAtMillis, Long breachedAtMillis, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, status, priority, origin, assigneeId, openedAtMillis, interceptedAtMillis,
        dueAtMillis, warnedAtMillis, breachedAtMillis, closedAtMillis, verdict, reasonCode, closedBy, version + 1, nowMillis);
  }

  public CaseRecord closed(CaseVerdict v, String reason, String by, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, CaseStatus.CLOSED, priority, origin, assigneeId, openedAtMillis,
        interceptedAtMillis, dueAtMillis, slaWarnedAtMillis, slaBreachedAtMillis, nowMillis, v, reason, by, version + 1, nowMillis);
  }

  /**
   * Reopened: the verdict is kept in the timeline, cleared here; the case is unassigned, back in its
   * queue for take-next, and the deadline starts again from now.
   */
  public CaseRecord reopened(long newDueAtMillis, long nowMillis) {
    return new CaseRecord(caseId, accountId, queueId, CaseStatus.REOPENED, priority, origin, null, openedAtMillis,
        nowMillis, newDueAtMillis, null, null, null, null, null, null, version + 1, nowMillis);
  }
}
