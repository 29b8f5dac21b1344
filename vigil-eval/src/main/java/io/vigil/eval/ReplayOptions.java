package io.vigil.eval;

import java.nio.file.Path;

/**
 * How one replay runs. Times are UTC epoch milliseconds; durations are milliseconds.
 *
 * @param labelDelayMillis a row's label reaches the label store this long after the row's time
 * @param retrainEveryMillis the model is retrained this often (simulated time); 0 = never
 * @param retrainAnchorMillis one of the retraining times (the others are whole periods away)
 * @param trainLookbackMillis the longest training history the grid may use: rows of [T − lookback, T) with a label
 *     known at T (14 days = the protocol's one labelled week)
 * @param modelWeight the model's weight in the blended score (the rules get 1 − it)
 * @param selectionFolds prequential folds for parameter selection; 0 = always the first grid entry
 * @param rowsMax stop after this many rows (0 = all)
 * @param modelsDir where each trained model's artifact is written (null = nowhere)
 * @param protocol the handbook's train/test split to report on (null = none)
 * @param candidateThresholds a candidate challenge/review/deny threshold triple to backtest on the blended score (null = none)
 * @param candidatePolicy a candidate rule set and/or thresholds decided by a second engine next to the live one (null = none)
 * @param learnedCombination every trained model carries a score combination learned on the validation weeks
 *     ({@code --combination learned}, the default); false keeps the policy's fixed blend ({@code --combination blend})
 */
record ReplayOptions(
    Path input,
    ColumnMapping mapping,
    long labelDelayMillis,
    long retrainEveryMillis,
    long retrainAnchorMillis,
    long trainLookbackMillis,
    double modelWeight,
    int selectionFolds,
    long rowsMax,
    Path modelsDir,
    Protocol protocol,
    int[] candidateThresholds,
    CandidatePolicy candidatePolicy,
    boolean progress,
    boolean learnedCombination) {

  static final long DAY_MILLIS = 86_400_000L;

  /** Options with the learned score combination. */
  ReplayOptions(Path input, ColumnMapping mapping, long labelDelayMillis, long retrainEveryMillis, long retrainAnchorMillis,
      long trainLookbackMillis, double modelWeight, int selectionFolds, long rowsMax, Path modelsDir, Protocol protocol,
      int[] candidateThresholds, CandidatePolicy candidatePolicy, boolean progress) {
    this(input, mapping, labelDelayMillis, retrainEveryMillis, retrainAnchorMillis, trainLookbackMillis, modelWeight, selectionFolds,
        rowsMax, modelsDir, protocol, candidateThresholds, candidatePolicy, progress, true);
  }

  ReplayOptions {
    if (labelDelayMillis < 0 || labelDelayMillis > 365 * DAY_MILLIS) throw new IllegalArgumentException("--label-delay-days must be 0-365");
    if (retrainEveryMillis < 0 || retrainEveryMillis > 365 * DAY_MILLIS) throw new IllegalArgumentException("--retrain-every-days must be 0-365");
    if (trainLookbackMillis <= 0 || trainLookbackMillis > 90 * DAY_MILLIS) throw new IllegalArgumentException("--train-lookback-days must be 1-90");
    if (!(modelWeight >= 0 && modelWeight <= 1)) throw new IllegalArgumentException("--model-weight must be 0-1");
    if (selectionFolds < 0 || selectionFolds > 8) throw new IllegalArgumentException("--selection-folds must be 0-8");
    if (candidateThresholds != null && candidateThresholds.length != 3) throw new IllegalArgumentException("--candidate-thresholds needs challenge,review,deny");
  }

  /**
   * The handbook's split: train on [trainFrom, trainFrom + 7 d), test on [testFrom, testFrom + testDays);
   * test cards with a fraud label (on an event since trainFrom) known before a test day starts are
   * dropped from that day, as the handbook does.
   */
  record Protocol(long trainFromMillis, long testFromMillis, int testDays) {
    Protocol {
      if (testFromMillis <= trainFromMillis) throw new IllegalArgumentException("the test period must follow the training period");
      if (testDays < 1 || testDays > 90) throw new IllegalArgumentException("test days must be 1-90");
    }

    long testToMillis() {
      return testFromMillis + testDays * DAY_MILLIS;
    }
  }
}
