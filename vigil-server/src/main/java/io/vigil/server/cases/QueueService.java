package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queues (kept in memory, written through), routing a case to the first queue that takes it,
 * and who may work a queue: its members, or any reviewer when it lists none.
 */
public final class QueueService {
  /** The queue that takes what no other queue does; it always exists and routes everything. */
  public static final String DEFAULT_QUEUE = "general";

  private final QueueRepository repository;
  private final Clock clock;
  private volatile List<CaseQueue> queues;

  public QueueService(QueueRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
    this.queues = repository.all();
  }

  public List<CaseQueue> all() {
    return queues;
  }

  public Optional<CaseQueue> find(String queueId) {
    return queues.stream().filter(q -> q.queueId().equals(queueId)).findFirst();
  }

  public CaseQueue get(String queueId) {
    return find(queueId).orElseThrow(() -> ApiException.notFound("queue_not_found", "No queue with this id", "queue_id"));
  }

  /** The queue that takes this decision: the first by position with a matching rule, else the default queue. */
  public CaseQueue route(CaseTrigger t) {
    for (CaseQueue q : queues) {
      if (q.takes(t)) return q;
    }
    return get(DEFAULT_QUEUE);
  }

  /** Whether this operator may work cases of the queue: a member, or anyone when it has no members. */
  public boolean mayWork(CaseQueue q, String operatorId) {
    return q.members().isEmpty() || q.members().contains(operatorId);
  }

  /** The queues this operator may work. */
  public List<String> workable(String operatorId) {
    List<String> out = new ArrayList<>();
    for (CaseQueue q : queues) {
      if (mayWork(q, operatorId)) out.add(q.queueId());
    }
    return out;
  }

  /** Creates or replaces a queue, checked against the others (escalation target, count). */
  public synchronized CaseQueue save(CaseQueue q, String actor) {
    boolean exists = find(q.queueId()).isPresent();
    if (!exists && queues.size() >= CaseQueue.QUEUES_MAX) {
      throw ApiException.conflict("invalid_request_error", "too_many_queues", "Vigil keeps at most " + CaseQueue.QUEUES_MAX + " queues",
          "queue_id");
    }
    if (q.escalationQueueId() != null) {
      if (q.escalationQueueId().equals(q.queueId())) {
        throw ApiException.invalid("invalid_escalation_queue", "A queue cannot escalate to itself", "escalation_queue_id");
      }
      if (find(q.escalationQueueId()).isEmpty()) {
        throw ApiException.invalid("invalid_escalation_queue", "escalation_queue_id names no queue", "escalation_queue_id");
      }
    }
    if (DEFAULT_QUEUE.equals(q.queueId()) && q.routing().stream().noneMatch(r -> r.matches(ANY_TRIGGER))) {
      throw ApiException.invalid("invalid_routing", "The general queue must keep a rule that takes every case (an empty rule)", "routing");
    }
    repository.save(q, clock.millis(), actor);
    queues = repository.all();
    return get(q.queueId());
  }

  private static final CaseTrigger ANY_TRIGGER = new CaseTrigger("-", CaseOrigin.REVIEW, null, null, null, null, null, null,
      Set.of(), Map.of(), 0);

  public synchronized CaseQueue setMembers(String queueId, List<String> members, String actor) {
    CaseQueue q = get(queueId);
    if (members.size() > CaseQueue.MEMBERS_MAX) {
      throw ApiException.invalid("too_many_members", "A queue has at most " + CaseQueue.MEMBERS_MAX + " members", "operator_ids");
    }
    repository.save(q.withMembers(members), clock.millis(), actor);
    queues = repository.all();
    return get(queueId);
  }

  public Set<String> away() {
    return repository.away();
  }

  public void setAway(String operatorId, boolean away, String actor) {
    repository.setAway(operatorId, away, clock.millis(), actor);
  }

  /** Installs the demo queues when there is none: payments, withdrawals, onboarding, compliance and general. */
  public synchronized void seedIfEmpty() {
    if (!queues.isEmpty()) return;
    long day = CaseQueue.DEADLINE_MILLIS_DEFAULT;
    long warn = 4 * 3_600_000L;
    List<CaseQueue> seed = List.of(
        new CaseQueue("compliance", "Compliance", 10, day, warn, null, false, 50,
            List.of(rule(Set.of(), Set.of(CaseOrigin.ALERT), Set.of()), rule(Set.of(), Set.of(), Set.of("critical"))), List.of()),
        new CaseQueue("onboarding", "Onboarding", 20, day, warn, "compliance", false, 50,
            List.of(rule(Set.of("registration", "merchant_onboarding"), Set.of(), Set.of())), List.of()),
        new CaseQueue("withdrawals", "Withdrawals and transfers", 30, day, warn, "compliance", false, 50,
            List.of(rule(Set.of("withdrawal", "transfer"), Set.of(), Set.of())), List.of()),
        new CaseQueue("payments", "Payments", 40, day, warn, "compliance", false, 50,
            List.of(rule(Set.of("payment", "refund"), Set.of(), Set.of())), List.of()),
        new CaseQueue(DEFAULT_QUEUE, "General", 1_000, day, warn, "compliance", false, 50,
            List.of(rule(Set.of(), Set.of(), Set.of())), List.of()));
    for (CaseQueue q : seed) repository.save(q, clock.millis(), "system");
    queues = repository.all();
  }

  private static RoutingRule rule(Set<String> eventTypes, Set<CaseOrigin> origins, Set<String> riskLevels) {
    return new RoutingRule(eventTypes, origins, riskLevels, null, Set.of());
  }
}
