package io.vigil.engine.model;

import io.vigil.engine.policy.Reason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The reason a person reads when the live model's score helped reach a decision's action: the
 * model, its probability, and its top features with their values and contributions, e.g.
 * {@code Model lgbm-1 gives a fraud probability of 0.93 (model score 93); top features:
 * amount_major = 950 (+1.82), account_count_1d = 1 (-0.12)}.
 */
public final class ModelReason {
  /** The reason's rule id, for queries and for people. */
  public static final String RULE_ID = "model";
  private static final int DECIMALS = 4;

  private ModelReason() {}

  /** The reason of a scored outcome ({@link ModelOutcome#scored()}). */
  public static Reason of(ModelOutcome m) {
    if (!m.scored()) throw new IllegalArgumentException("no live model scored this decision");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("model.version", m.modelId());
    values.put("model.probability", rounded(m.probability()));
    StringBuilder message = new StringBuilder(String.format(Locale.ROOT, "Model %s gives a fraud probability of %.2f (model score %d)",
        m.modelId(), m.probability(), m.modelScore()));
    if (m.topFeatures().isEmpty()) {
      message.append("; this model does not report its features");
    } else {
      message.append("; top features: ");
      for (int i = 0; i < m.topFeatures().size(); i++) {
        ModelOutcome.TopFeature f = m.topFeatures().get(i);
        values.put(f.feature(), rounded(f.value()));
        if (i > 0) message.append(", ");
        message.append(f.feature()).append(" = ").append(plain(f.value()))
            .append(" (").append(f.contribution() >= 0 ? "+" : "").append(plain(f.contribution())).append(')');
      }
    }
    return new Reason(RULE_ID, message.toString(), null, null, values);
  }

  private static double rounded(double v) {
    if (!Double.isFinite(v)) return v;
    return BigDecimal.valueOf(v).setScale(DECIMALS, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** At most four decimals, without trailing zeros: 950, 0.5, -1.8236. */
  private static String plain(double v) {
    if (!Double.isFinite(v)) return String.valueOf(v);
    return BigDecimal.valueOf(v).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
