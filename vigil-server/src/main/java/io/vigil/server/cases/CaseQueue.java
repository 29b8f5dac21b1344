package io.vigil.server.cases;

import java.util.List;

/**
 * A queue of cases: who works it, how fast, where its cases go when late, and which cases it takes.
 *
 * @param position routing order: the first queue (lowest position) with a matching rule takes the case
 * @param deadlineMillis a case is due this long after its decision was made
 * @param warningMillis a warning is sent this long before the due time
 * @param escalationQueueId where an escalated or breached case goes; null keeps it here, escalated
 * @param autoAssign new cases go to the least-loaded available member at once
 * @param reviewerCap open cases a member may hold before automatic assignment passes them over
 */
public record CaseQueue(String queueId, String name, int position, long deadlineMillis, long warningMillis,
    String escalationQueueId, boolean autoAssign, int reviewerCap, List<RoutingRule> routing, List<String> members) {
  public static final long DEADLINE_MILLIS_DEFAULT = 24 * 3_600_000L;
  public static final long DEADLINE_MILLIS_MAX = 30 * 24 * 3_600_000L;
  public static final int ROUTING_RULES_MAX = 50;
  public static final int MEMBERS_MAX = 1_000;
  public static final int QUEUES_MAX = 100;
  public static final int REVIEWER_CAP_MAX = 10_000;

  public CaseQueue {
    routing = List.copyOf(routing);
    members = List.copyOf(members);
    assert warningMillis >= 0 && warningMillis < deadlineMillis : warningMillis + " / " + deadlineMillis;
  }

  public boolean takes(CaseTrigger t) {
    for (RoutingRule r : routing) {
      if (r.matches(t)) return true;
    }
    return false;
  }

  public CaseQueue withMembers(List<String> newMembers) {
    return new CaseQueue(queueId, name, position, deadlineMillis, warningMillis, escalationQueueId, autoAssign, reviewerCap,
        routing, newMembers);
  }
}
