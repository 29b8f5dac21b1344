package io.vigil.server.change;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts approved change requests live when their time comes, and expires pending ones, every
 * period. The time compared is the service's clock, so tests move a test clock and call
 * {@link ChangeRequestService#runDue} themselves (or let this run).
 */
public final class ChangeScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeScheduler.class);
  public static final long PERIOD_MILLIS_MIN = 1_000;
  private final ScheduledThreadPoolExecutor executor;

  public ChangeScheduler(ChangeRequestService changes, boolean enabled, long periodMillis) {
    if (periodMillis < PERIOD_MILLIS_MIN) {
      throw new IllegalArgumentException("vigil.changes.scheduler.period-millis must be at least " + PERIOD_MILLIS_MIN);
    }
    if (!enabled) {
      executor = null;
      return;
    }
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-change-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        int live = changes.runDue();
        if (live > 0) log.info("{} scheduled change request(s) went live", live);
      } catch (RuntimeException e) {
        log.warn("scheduled change requests failed: {}", e.getMessage());
      }
    }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (executor != null) executor.shutdownNow();
  }
}
