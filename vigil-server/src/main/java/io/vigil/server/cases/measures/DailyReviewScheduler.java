package io.vigil.server.cases.measures;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the daily interception review of yesterday (UTC) once a day, at or after the configured
 * hour (UTC). Once: the day is claimed in {@code case_daily_reviews} before the mail is handed to
 * the {@link ReviewMailer}, so a restart or a second server never sends a day twice; a mailer that
 * throws gives the day back and the next check sends it. A stop between the claim and the hand-over
 * loses that day's mail (at most once, never twice). A server down at the hour sends when it is back.
 */
public final class DailyReviewScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DailyReviewScheduler.class);

  private final MeasuresService measures;
  private final MeasuresRepository repository;
  private final ReviewMailer mailer;
  private final int hourUtc;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-daily-review");
    t.setDaemon(true);
    return t;
  });

  public DailyReviewScheduler(MeasuresService measures, MeasuresRepository repository, ReviewMailer mailer, int hourUtc) {
    if (hourUtc < 0 || hourUtc > 23) throw new IllegalArgumentException("hourUtc must be 0 to 23, not " + hourUtc);
    this.measures = measures;
    this.repository = repository;
    this.mailer = mailer;
    this.hourUtc = hourUtc;
  }

  public DailyReviewScheduler start(long checkSeconds) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn("the daily interception review failed; retrying at the next check: {}", e.toString());
      }
    }, checkSeconds, checkSeconds, TimeUnit.SECONDS);
    return this;
  }

  /** Sends yesterday's review if the hour has come and no one sent it yet; the day sent, or null. */
  synchronized LocalDate runOnce() {
    ZonedDateTime now = measures.clock().instant().atZone(ZoneOffset.UTC);
    if (now.getHour() < hourUtc) return null;
    LocalDate day = now.toLocalDate().minusDays(1);
    if (!repository.claimDay(day.toString(), now.toInstant().toEpochMilli())) return null;
    DailyReview review = measures.daily(day);
    try {
      mailer.send(DailyReviewMail.subject(review), DailyReviewMail.body(review));
    } catch (RuntimeException e) {
      repository.releaseDay(day.toString());
      throw e;
    }
    log.info("daily interception review for {} sent", day);
    return day;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
