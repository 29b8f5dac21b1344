package io.vigil.engine.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Card Precision@k exactly as the Fraud Detection Handbook defines it ({@code card_precision_top_k}
 * with {@code remove_detected_compromised_cards=True}, chapter 4.2):
 * <ol>
 *   <li>Days in increasing order. Each day, drop the transactions of cards already detected (a
 *       compromised card found in an earlier day's top k).</li>
 *   <li>Per card, take the highest score and whether any of its transactions that day is fraud.</li>
 *   <li>Rank the cards by that score, take the top k, and count the compromised ones: the day's
 *       precision is that count divided by k (k, not the number of cards, even on a quiet day).</li>
 *   <li>The detected compromised cards join the removal set; the result is the mean over days.</li>
 * </ol>
 * Ties between cards are broken by card id, so the result is deterministic.
 */
public final class CardPrecision {
  private CardPrecision() {}

  /** The mean and the per-day values, in day order. */
  public record Result(double mean, List<Double> perDay, List<Long> days) {}

  /**
   * @param day the transaction's day number (e.g. days since the dataset's start)
   * @param card the card (customer) id of each transaction
   */
  public static Result atK(long[] day, long[] card, double[] score, boolean[] fraud, int k) {
    if (day.length != card.length || card.length != score.length || score.length != fraud.length) {
      throw new IllegalArgumentException("one day, card, score and label per transaction");
    }
    if (k < 1) throw new IllegalArgumentException("k must be ≥ 1");
    Map<Long, List<Integer>> byDay = new HashMap<>();
    for (int i = 0; i < day.length; i++) byDay.computeIfAbsent(day[i], d -> new ArrayList<>()).add(i);
    long[] days = byDay.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    Set<Long> detected = new HashSet<>();
    List<Double> perDay = new ArrayList<>(days.length);
    for (long d : days) {
      Map<Long, double[]> cards = new HashMap<>(); // card → {max score, any fraud}
      for (int i : byDay.get(d)) {
        if (detected.contains(card[i])) continue;
        double[] c = cards.computeIfAbsent(card[i], x -> new double[] {Double.NEGATIVE_INFINITY, 0});
        c[0] = Math.max(c[0], score[i]);
        if (fraud[i]) c[1] = 1;
      }
      Long[] ranked = cards.keySet().toArray(new Long[0]);
      Arrays.sort(ranked, (a, b) -> {
        int bySc = Double.compare(cards.get(b)[0], cards.get(a)[0]);
        return bySc != 0 ? bySc : Long.compare(a, b);
      });
      int hits = 0;
      for (int r = 0; r < Math.min(k, ranked.length); r++) {
        if (cards.get(ranked[r])[1] == 1) {
          hits++;
          detected.add(ranked[r]);
        }
      }
      perDay.add((double) hits / k);
    }
    double mean = perDay.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new Result(mean, List.copyOf(perDay), Arrays.stream(days).boxed().toList());
  }
}
