package io.vigil.server.policy.release;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a running release whose candidate policy departs from the live one: its interception
 * rate (deny, hold, challenge) or review rate differs from the live policy's on the same
 * decisions by more than the configured margin, once both have decided enough. Both policies
 * are judged on every decision of the release (the acting side's action and the other side's
 * recorded one), so a shadow release is guarded as well as a gray one. Runs on its own thread,
 * off the decision path, reading the journal; {@link #check} is also what tests call.
 */
public final class ReleaseGuard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReleaseGuard.class);
  /** The actor a guard stop is recorded under. */
  public static final String ACTOR = "release-guard";

  private final ReleaseService releases;
  private final ReleasesProperties.Guard settings;
  private ScheduledExecutorService scheduler;

  public ReleaseGuard(ReleaseService releases, ReleasesProperties.Guard settings) {
    this.releases = releases;
    this.settings = settings;
  }

  /** Checks every {@code checkMillis} when enabled. */
  public ReleaseGuard start() {
    if (!settings.enabled()) return this;
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-release-guard");
      t.setDaemon(true);
      return t;
    });
    s.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    s.scheduleWithFixedDelay(this::checkQuietly, settings.checkMillis(), settings.checkMillis(), TimeUnit.MILLISECONDS);
    scheduler = s;
    return this;
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("the release guard's check failed; it will check again: {}", e.toString());
    }
  }

  /** Checks the running release once; returns the reason it was stopped, or empty. */
  public Optional<String> check() {
    Optional<ReleaseService.RunningView> view = releases.refreshRunning();
    if (view.isEmpty()) return Optional.empty();
    Optional<String> departure = departure(view.get().live(), view.get().candidate(), settings);
    if (departure.isEmpty()) return Optional.empty();
    String id = view.get().release().releaseId();
    releases.stop(id, ACTOR, departure.get(), true);
    log.warn("release {} stopped by the guard: {}", id, departure.get());
    return departure;
  }

  /** Why the candidate departs from live beyond the margins, or empty (also when either has seen too few decisions). */
  static Optional<String> departure(PolicyTally live, PolicyTally candidate, ReleasesProperties.Guard g) {
    if (live.decisions < g.decisionsMin() || candidate.decisions < g.decisionsMin()) return Optional.empty();
    double di = candidate.interceptionRate() - live.interceptionRate();
    if (Math.abs(di) > g.interceptionMarginRate()) {
      return Optional.of(String.format(Locale.ROOT, "interception rate %.2f %% on the candidate against %.2f %% live (margin %.2f points)",
          100 * candidate.interceptionRate(), 100 * live.interceptionRate(), 100 * g.interceptionMarginRate()));
    }
    double dr = candidate.reviewRate() - live.reviewRate();
    if (Math.abs(dr) > g.reviewMarginRate()) {
      return Optional.of(String.format(Locale.ROOT, "review rate %.2f %% on the candidate against %.2f %% live (margin %.2f points)",
          100 * candidate.reviewRate(), 100 * live.reviewRate(), 100 * g.reviewMarginRate()));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    if (scheduler != null) scheduler.shutdownNow();
  }
}
