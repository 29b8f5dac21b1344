package io.vigil.server.health;

import io.vigil.server.logging.RedactedFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the store: can a connection be had and does it answer? The check runs on a thread
 * of its own, at most one at a time and at most once per {@code cacheMillis}, so health calls
 * never hammer the database; a caller waits at most {@code timeoutMillis} for it, and a check that
 * has not answered by then is DOWN (the pool may be waiting for a server that is gone).
 */
public final class StoreHealth implements HealthIndicator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

  private record Checked(Health health, long atNanos) {}

  private final DataSource dataSource;
  private final long cacheNanos;
  private final long timeoutMillis;
  private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vigil-store-health");
    t.setDaemon(true);
    return t;
  });
  private Checked last;
  /** The checker thread's own: whether its last check passed, so a failure is logged once, not every second. */
  private boolean lastCheckPassed = true;
  private CompletableFuture<Health> inFlight;

  public StoreHealth(DataSource dataSource, long cacheMillis, long timeoutMillis) {
    this.dataSource = dataSource;
    this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMillis);
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Health health() {
    CompletableFuture<Health> check;
    synchronized (this) {
      if (last != null && System.nanoTime() - last.atNanos() < cacheNanos) return last.health();
      if (inFlight == null) inFlight = CompletableFuture.supplyAsync(this::check, checker);
      check = inFlight;
    }
    Health health;
    try {
      health = check.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Health.down().withDetail("reason", "store did not answer within " + timeoutMillis + " ms").build();
    } catch (ExecutionException e) {
      health = Health.down().withDetail("reason", "store check failed").build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.unknown().build();
    }
    synchronized (this) {
      if (inFlight == check) {
        inFlight = null;
        last = new Checked(health, System.nanoTime());
      }
    }
    return health;
  }

  private Health check() {
    int validSeconds = (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis));
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(validSeconds)) {
        if (!lastCheckPassed) log.info("store health check passes again");
        lastCheckPassed = true;
        return Health.up().build();
      }
      return failed("store connection not valid", null);
    } catch (SQLException | RuntimeException e) {
      return failed("store unreachable", e);
    }
  }

  private Health failed(String reason, Exception e) {
    if (lastCheckPassed) log.warn("store health check failed: {} ({})", reason, e == null ? "" : RedactedFailure.describe(e));
    lastCheckPassed = false;
    return Health.down().withDetail("reason", reason).build();
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
