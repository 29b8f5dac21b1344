package io.vigil.engine.screening;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * How alike two names are, from 0 to 1, whatever their word order and with middle names missing.
 *
 * <p>Each token of the shorter name is paired with its most similar unused token of the longer one
 * (token set matching: order does not matter). Two tokens are as similar as the best of their
 * Jaro-Winkler similarity, an equal Double Metaphone key (0.92) and an equal consonant skeleton of
 * at least three letters (0.90). The name score is the mean over the shorter name's tokens, less
 * {@link #EXTRA_TOKEN_PENALTY} for each unpaired token of the longer name (at most three count), and
 * less {@link #SINGLE_TOKEN_PENALTY} when one side is a single word and the other is not: "Ali"
 * alone is weak evidence against "Ali Hassan Rahimi". A name written without spaces is also compared
 * whole ("abdulrahman" against "abdul rahman").
 */
public final class NameScorer {
  static final double PHONETIC_SIMILARITY = 0.92;
  static final double SKELETON_SIMILARITY = 0.90;
  static final double EXTRA_TOKEN_PENALTY = 0.03;
  static final double SINGLE_TOKEN_PENALTY = 0.20;
  static final double JOINED_WEIGHT = 0.97;
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private NameScorer() {}

  /** The score and the token pairs behind it (query token → entry token). */
  public record Score(double value, List<String> matchedTokens) {}

  public static Score score(TokenName query, TokenName entry) {
    if (query.isEmpty() || entry.isEmpty()) return new Score(0.0, List.of());
    boolean queryShorter = query.size() <= entry.size();
    TokenName shorter = queryShorter ? query : entry;
    TokenName longer = queryShorter ? entry : query;
    boolean[] used = new boolean[longer.size()];
    double sum = 0;
    List<String> matched = new ArrayList<>(shorter.size());
    for (int i = 0; i < shorter.size(); i++) {
      int best = -1;
      double bestSimilarity = 0;
      for (int j = 0; j < longer.size(); j++) {
        if (used[j]) continue;
        double s = tokenSimilarity(shorter, i, longer, j);
        if (s > bestSimilarity) {
          bestSimilarity = s;
          best = j;
        }
      }
      if (best < 0) continue;
      used[best] = true;
      sum += bestSimilarity;
      if (bestSimilarity >= 0.80) {
        matched.add(queryShorter ? shorter.tokens[i] + "~" + longer.tokens[best] : longer.tokens[best] + "~" + shorter.tokens[i]);
      }
    }
    double value = sum / shorter.size();
    int extra = Math.min(3, longer.size() - shorter.size());
    value -= EXTRA_TOKEN_PENALTY * extra;
    if (shorter.size() == 1 && longer.size() > 1) value -= SINGLE_TOKEN_PENALTY;
    double whole = JOINED_WEIGHT * JARO_WINKLER.apply(query.joined, entry.joined);
    if (whole > value && query.size() != entry.size()) value = whole; // a name split or joined differently
    return new Score(Math.max(0.0, Math.min(1.0, value)), List.copyOf(matched));
  }

  static double tokenSimilarity(TokenName a, int i, TokenName b, int j) {
    String x = a.tokens[i];
    String y = b.tokens[j];
    if (x.equals(y)) return 1.0;
    boolean digits = Character.isDigit(x.charAt(0)) || Character.isDigit(y.charAt(0));
    if (digits) return 0.0; // numbers in names (vessel names, "2nd") match only exactly
    double s = JARO_WINKLER.apply(x, y);
    if (s < PHONETIC_SIMILARITY && x.length() > 2 && y.length() > 2 && a.phonetic[i].equals(b.phonetic[j])) {
      s = PHONETIC_SIMILARITY;
    }
    if (s < SKELETON_SIMILARITY && a.skeleton[i].length() >= 3 && a.skeleton[i].equals(b.skeleton[j])) {
      s = SKELETON_SIMILARITY;
    }
    return s;
  }
}
