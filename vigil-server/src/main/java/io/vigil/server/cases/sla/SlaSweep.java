package io.vigil.server.cases.sla;

import io.vigil.server.api.ApiException;
import io.vigil.server.cases.CaseQueue;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.Reviewer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines of open cases. One thread sweeps at a fixed delay; each pass reads the open cases whose
 * warning time (due time less the queue's warning lead) or due time has passed on the server's
 * clock and records, each once: the warning ({@code sla_warning}), then at the due time the breach
 * ({@code sla_breached}) followed by an escalation to the queue's escalation queue. A case found
 * already past its due time is breached without a separate warning.
 *
 * <p>Once: the marks live on the case's row, {@link CaseService#markSla} refuses a mark that is
 * already there inside its own transaction, and a pass reads only cases missing one, so a restart,
 * a second sweep or a second server records nothing twice. The breach and the escalation are two
 * transactions: a stop between them leaves a breached case unescalated, which the next pass finds
 * (a breach of the last {@link #REPAIR_HORIZON_MILLIS} with no escalation after it) and escalates.
 * Listeners hear of a warning or breach after its transaction committed; a stop before that loses
 * the notice, never the mark.
 */
public final class SlaSweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlaSweep.class);
  /** Passes one sweep runs at most while passes come back full; the rest waits for the next sweep. */
  static final int PASSES_PER_SWEEP_MAX = 20;
  /** How far back a breach without its escalation is looked for: far longer than any restart takes. */
  static final long REPAIR_HORIZON_MILLIS = 7 * 86_400_000L;
  static final String BREACH_REASON = "deadline passed";

  private final CaseRepository cases;
  private final CaseService service;
  private final int rowsPerPass;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-case-sla");
    t.setDaemon(true);
    return t;
  });

  public SlaSweep(CaseRepository cases, CaseService service, int rowsPerPass) {
    if (rowsPerPass < 1) throw new IllegalArgumentException("rowsPerPass must be at least 1, not " + rowsPerPass);
    this.cases = cases;
    this.service = service;
    this.rowsPerPass = rowsPerPass;
  }

  public SlaSweep start(long intervalSeconds) {
    timer.scheduleWithFixedDelay(this::sweep, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    return this;
  }

  private void sweep() {
    try {
      for (int pass = 0; pass < PASSES_PER_SWEEP_MAX && runOnce() == rowsPerPass; pass++) {
        // a full pass: more is due
      }
    } catch (RuntimeException e) {
      log.warn("the SLA sweep failed; retrying at the next sweep: {}", e.toString());
    }
  }

  /** One pass: escalates breaches left unescalated, then records what is due. The number of due cases read. */
  synchronized int runOnce() {
    long now = service.clock().millis();
    for (CaseRecord r : cases.breachedNotEscalated(now - REPAIR_HORIZON_MILLIS, rowsPerPass)) escalate(r.caseId());
    long leadMax = service.queues().all().stream().mapToLong(CaseQueue::warningMillis).max().orElse(0L);
    List<CaseRecord> due = cases.slaDue(now, leadMax, rowsPerPass);
    assert due.size() <= rowsPerPass;
    for (CaseRecord r : due) record(r, now);
    return due.size();
  }

  private void record(CaseRecord r, long nowMillis) {
    try {
      if (r.slaBreachedAtMillis() == null && nowMillis >= r.dueAtMillis()) {
        Optional<CaseRecord> breached = service.markSla(r.caseId(), true);
        if (breached.isEmpty()) return;
        service.tell(l -> l.slaBreached(breached.get()));
        escalate(r.caseId());
      } else if (r.slaWarnedAtMillis() == null && nowMillis >= r.dueAtMillis() - warningMillis(r)) {
        service.markSla(r.caseId(), false).ifPresent(warned -> service.tell(l -> l.slaWarning(warned)));
      }
    } catch (ApiException closedOrChanged) {
      // Closed, or changed by a reviewer since this pass read it: the next pass reads it as it is now.
      log.debug("SLA mark of case {} skipped: {}", r.caseId(), closedOrChanged.getMessage());
    }
  }

  private long warningMillis(CaseRecord r) {
    return service.queues().find(r.queueId()).map(CaseQueue::warningMillis).orElse(0L);
  }

  private void escalate(String caseId) {
    try {
      service.escalate(caseId, BREACH_REASON, Reviewer.SYSTEM);
    } catch (ApiException closedOrChanged) {
      log.debug("escalating breached case {} skipped: {}", caseId, closedOrChanged.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
