package io.vigil.engine.model;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Trains models off the decision thread and activates them through {@link ModelRegistry}'s atomic
 * swap. One training runs at a time and at most one more waits; a third request is refused
 * ({@link RejectedExecutionException}) instead of queueing without bound.
 */
public final class ModelTraining implements AutoCloseable {
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(1), r -> {
        Thread t = new Thread(r, "vigil-model-training");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.AbortPolicy());
  private final ModelRegistry registry;

  public ModelTraining(ModelRegistry registry) {
    this.registry = registry;
  }

  /**
   * Trains on the training thread and, when {@code accept} approves the trained model (e.g. its
   * validation metrics beat the live one), makes it live. The future completes with the model
   * (activated or not); a model the caller rejects is closed.
   */
  public CompletableFuture<LightGbmModel> trainAndActivate(LightGbmTrainer.TrainingSet data, Map<String, String> params,
      String modelId, long trainedAtMillis, Function<LightGbmModel, Boolean> accept) {
    return CompletableFuture.supplyAsync(() -> {
      LightGbmModel model = LightGbmTrainer.train(data, params, modelId, trainedAtMillis);
      if (Boolean.TRUE.equals(accept.apply(model))) {
        registry.activate(model);
      } else {
        model.close();
      }
      return model;
    }, executor);
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
