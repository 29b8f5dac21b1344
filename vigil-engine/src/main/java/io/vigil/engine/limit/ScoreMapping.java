package io.vigil.engine.limit;

/**
 * A dynamic limit (L3): the cap follows the account's risk or credit score, linearly from
 * {@code amountMinorAtScoreMin} at {@code scoreMin} (and below) to {@code amountMinorAtScoreMax} at
 * {@code scoreMax} (and above), rounded down to a minor unit. The documents' example maps a score
 * to a daily limit between 200 and 2,000.
 */
public record ScoreMapping(int scoreMin, int scoreMax, long amountMinorAtScoreMin, long amountMinorAtScoreMax) {
  /** Scores are 0–1000 (the event's {@code credit_score}). */
  public static final int SCORE_MAX = 1_000;

  public ScoreMapping {
    if (scoreMin < 0 || scoreMax > SCORE_MAX || scoreMin >= scoreMax) {
      throw new IllegalArgumentException("score_min < score_max, both within 0-" + SCORE_MAX);
    }
    if (amountMinorAtScoreMin <= 0 || amountMinorAtScoreMax <= 0) {
      throw new IllegalArgumentException("mapped amounts must be > 0");
    }
    if (amountMinorAtScoreMin > io.vigil.engine.Limits.AMOUNT_MINOR_MAX || amountMinorAtScoreMax > io.vigil.engine.Limits.AMOUNT_MINOR_MAX) {
      throw new IllegalArgumentException("mapped amounts are at most " + io.vigil.engine.Limits.AMOUNT_MINOR_MAX + " minor units");
    }
  }

  /** The cap for a score; exact integer arithmetic (the product fits: 10^14 × 1000 < 2^63). */
  public long capMinor(int score) {
    int s = Math.max(scoreMin, Math.min(scoreMax, score));
    long span = amountMinorAtScoreMax - amountMinorAtScoreMin;
    return amountMinorAtScoreMin + Math.floorDiv(span * (s - scoreMin), scoreMax - scoreMin);
  }
}
