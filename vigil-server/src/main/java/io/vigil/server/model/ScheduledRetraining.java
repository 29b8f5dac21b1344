package io.vigil.server.model;

import io.vigil.server.api.ApiException;
import io.vigil.server.logging.RedactedFailure;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the learning loop on a schedule ({@code vigil.models.retrain-every-hours}): every period,
 * a LightGBM model is trained on the stored vectors of the last {@code window} with the labels known
 * then, exactly as {@code POST /v1/models/train} does, and becomes the <b>shadow</b>. It scores every
 * decision next to the live model without acting; an operator promotes it
 * ({@code POST /v1/models/{id}/role}) after comparing the two on live traffic. A new model never
 * goes live by itself: a payment system should not change who gets declined without a person
 * looking. A shadow that an operator put there (not the scheduler) is left alone: the new model is
 * stored inactive next to it. A period without enough labels trains nothing and is logged.
 *
 * <p>Every trained model is kept (an audit record of what could have scored a decision), so the
 * period is at least a day: a year of daily models is a few hundred artifacts.
 */
public final class ScheduledRetraining implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduledRetraining.class);
  static final String ACTOR = "scheduler";
  static final long PERIOD_MILLIS_MIN = TimeUnit.HOURS.toMillis(24);

  private final ModelService models;
  private final long windowMillis;
  private final long labelDelayMillis;
  private final Clock clock;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-retraining-schedule");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param everyMillis the period; 0 schedules nothing ({@link #runOnce} still works)
   * @param windowMillis the training window, ending at the run's time
   * @param labelDelayMillis rows younger than this without a verdict are left out (their outcome may still come)
   */
  public ScheduledRetraining(ModelService models, long everyMillis, long windowMillis, long labelDelayMillis, Clock clock) {
    this.clock = clock;
    if (everyMillis != 0 && everyMillis < PERIOD_MILLIS_MIN) {
      throw new IllegalArgumentException("vigil.models.retrain-every-hours is 0 (off) or at least 24");
    }
    if (windowMillis <= 0 || windowMillis > ModelService.WINDOW_MILLIS_MAX) {
      throw new IllegalArgumentException("vigil.models.retrain-window-days is 1 to 60");
    }
    if (labelDelayMillis < 0 || labelDelayMillis >= windowMillis) {
      throw new IllegalArgumentException("vigil.models.retrain-label-delay-days must be shorter than the window: "
          + "otherwise only decisions that already have a verdict would be trained on");
    }
    this.models = models;
    this.windowMillis = windowMillis;
    this.labelDelayMillis = labelDelayMillis;
    if (everyMillis > 0) {
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          runOnce(clock.millis());
        } catch (Throwable t) { // an escaping throwable would end the schedule silently
          log.error("scheduled retraining failed; the next period tries again", RedactedFailure.of(t));
        }
      }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** One scheduled training as of {@code nowMillis}: the stored shadow model, or empty when none could be trained. */
  public Optional<ModelRepository.Summary> runOnce(long nowMillis) {
    try {
      Optional<ModelRepository.Summary> shadow = models.holder(ModelRepository.SHADOW);
      boolean operatorsShadow = shadow.isPresent() && !ACTOR.equals(shadow.get().createdBy());
      ModelRepository.Summary s = models.train(new ModelService.TrainingRequest(nowMillis - windowMillis, nowMillis, labelDelayMillis,
          Map.of(), operatorsShadow ? null : ModelRepository.SHADOW), ACTOR);
      if (operatorsShadow) {
        log.info("scheduled retraining: model {} stored inactive; the shadow {} is an operator's", s.modelId(), shadow.get().modelId());
      } else {
        log.info("scheduled retraining: model {} is the shadow", s.modelId());
      }
      return Optional.of(s);
    } catch (ApiException e) {
      log.info("scheduled retraining skipped: {} ({})", e.getMessage(), e.code());
    } catch (RuntimeException e) {
      log.warn("scheduled retraining failed; the next period tries again", RedactedFailure.of(e));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
