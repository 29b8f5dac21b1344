package io.vigil.eval;

import java.util.Arrays;

/**
 * Everything the replay remembers per event, in columns: the feature vector as decided (floats,
 * exactly what the live model scored), the scores, the action, and, kept apart, the truth column
 * that only the final evaluation reads. Training never reads {@link #truth}: it asks the label
 * store, as of the training time.
 */
final class ReplayData {
  /** Rows one replay holds (≈ 150 B per row plus the feature vector). */
  static final int ROWS_MAX = 20_000_000;

  final int featureCount;
  int size;
  float[] features;
  long[] timeMillis;
  int[] account;
  String[] eventId;
  boolean[] truth;
  float[] probability;
  float[] challengerProbability;
  byte[] blendedScore;
  byte[] rulesScore;
  byte[] action;
  short[] modelIndex;
  /** The learned combination's probability the decision score was made of (NaN under the fixed blend or without a model). */
  double[] combined;
  /**
   * The acting score the model trained at the end of the event's retraining period gives it (-1: not
   * rescored): that model's own view of recent traffic, out of sample (it was trained on earlier,
   * labelled events only), which thresholds for it are translated to.
   */
  byte[] nextModelScore;
  /** Whether a rule or list forced an action above the score's. */
  boolean[] forced;
  /** The merchant (terminal) as a dense id, -1 without one, and the amount in major units: the handbook baselines' inputs. */
  int[] merchant;
  float[] amountMajor;
  /** The handbook baselines' scores per row ({@link HandbookBaselines}; NaN outside their test weeks); null until computed. */
  float[] baselineLogistic;
  float[] baselineForest;
  /** The candidate policy's action and score ({@code --candidate-policy}); null without one. */
  byte[] candidateAction;
  byte[] candidateScore;

  ReplayData(int featureCount, int capacity, boolean candidate) {
    this.featureCount = featureCount;
    features = new float[capacity * featureCount];
    timeMillis = new long[capacity];
    account = new int[capacity];
    eventId = new String[capacity];
    truth = new boolean[capacity];
    probability = new float[capacity];
    challengerProbability = new float[capacity];
    blendedScore = new byte[capacity];
    rulesScore = new byte[capacity];
    action = new byte[capacity];
    modelIndex = new short[capacity];
    combined = new double[capacity];
    nextModelScore = new byte[capacity];
    Arrays.fill(nextModelScore, (byte) -1);
    forced = new boolean[capacity];
    merchant = new int[capacity];
    amountMajor = new float[capacity];
    if (candidate) {
      candidateAction = new byte[capacity];
      candidateScore = new byte[capacity];
    }
  }

  /** Makes room for one more row and returns its index. */
  int add() {
    if (size == timeMillis.length) {
      if (size >= ROWS_MAX) throw new IllegalStateException("replay holds at most " + ROWS_MAX + " rows");
      int capacity = (int) Math.min(ROWS_MAX, size + (size >> 1) + 1024L);
      features = Arrays.copyOf(features, capacity * featureCount);
      timeMillis = Arrays.copyOf(timeMillis, capacity);
      account = Arrays.copyOf(account, capacity);
      eventId = Arrays.copyOf(eventId, capacity);
      truth = Arrays.copyOf(truth, capacity);
      probability = Arrays.copyOf(probability, capacity);
      challengerProbability = Arrays.copyOf(challengerProbability, capacity);
      blendedScore = Arrays.copyOf(blendedScore, capacity);
      rulesScore = Arrays.copyOf(rulesScore, capacity);
      action = Arrays.copyOf(action, capacity);
      modelIndex = Arrays.copyOf(modelIndex, capacity);
      combined = Arrays.copyOf(combined, capacity);
      int old = nextModelScore.length;
      nextModelScore = Arrays.copyOf(nextModelScore, capacity);
      Arrays.fill(nextModelScore, old, capacity, (byte) -1);
      forced = Arrays.copyOf(forced, capacity);
      merchant = Arrays.copyOf(merchant, capacity);
      amountMajor = Arrays.copyOf(amountMajor, capacity);
      if (candidateAction != null) {
        candidateAction = Arrays.copyOf(candidateAction, capacity);
        candidateScore = Arrays.copyOf(candidateScore, capacity);
      }
    }
    return size++;
  }

  /** First row with time ≥ tMillis (rows are in time order). */
  int lowerBound(long tMillis) {
    int lo = 0, hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timeMillis[mid] < tMillis) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  void copyFeatures(int row, double[] out) {
    int base = row * featureCount;
    for (int f = 0; f < featureCount; f++) out[f] = features[base + f];
  }
}
