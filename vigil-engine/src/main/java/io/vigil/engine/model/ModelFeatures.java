package io.vigil.engine.model;

import io.vigil.engine.event.Event;
import io.vigil.engine.feature.Entity;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.Window;
import io.vigil.engine.label.LabelScope;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.signal.Signals;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Computes the model's feature vector ({@link #SCHEMA}) of one decided event from the past only:
 * the engine's velocity windows ({@link FeatureStore}, which already include the event itself, as
 * the handbook's customer windows do) and the labels known at the event's time ({@link LabelStore}).
 *
 * <p>Merchant (terminal) fraud ratios use label windows that end {@code labelLagMillis} before the
 * event (the handbook's delayed terminal windows): (t − lag − w, t − lag], only labels known at t.
 * The "known fraud" counts look at the whole recent past, (t − 28 d, t] and (t − 30 d, t], and
 * likewise count only labels known at t, so a fast reviewer verdict helps at once.
 *
 * <p>Schema 2 adds the customer's amount history <em>without</em> the event
 * ({@link FeatureStore#amountHistory}: ratios, z-scores, an older (t − 30 d, t − 8 d] baseline) and
 * how long a terminal's known fraud has lasted ({@link LabelStore#fraudSpan}, labels known at t).
 *
 * <p>Schema 3 adds the event's signals (issue 3: IP reputation, geo history, phone binding, card,
 * e-mail, identity links), read from the decision's {@link Signals} by their rule names; true is 1,
 * false 0, and a number is itself, with the signals' own -1 for "unknown" (no usual location yet, no
 * phone binding). Events without those fields (the FDH dataset) have them constant, which LightGBM
 * leaves out of every split.
 *
 * <p>The engine calls {@link #compute} while deciding, once the event is in the windows and the rules
 * have run. Not thread-safe: one instance per decision thread.
 */
public final class ModelFeatures {
  /** Model feature name → the signal (rule name) it reads; in schema order, after the window and label features. */
  private static final String[][] SIGNAL_FEATURES = {
      {"ip_hosting", "ip.hosting"}, {"ip_anonymous", "ip.anonymous"},
      {"geo_distance_from_usual_km", "geo.distance_from_usual_km"}, {"geo_travel_speed_kmh", "geo.travel_speed_kmh"},
      {"geo_regions_24h", "geo.regions_24h"}, {"geo_impossible_travel", "geo.impossible_travel"},
      {"geo_ip_country_mismatch_account", "geo.ip_country_mismatch_account"},
      {"geo_bin_country_mismatch_account", "geo.bin_country_mismatch_account"},
      {"account_challenge_failures_24h", "account.challenge_failures_24h"},
      {"phone_new_for_account", "phone.new_for_account"}, {"phone_account_binding_age_days", "phone.account_binding_age_days"},
      {"card_prepaid", "card.prepaid"}, {"email_disposable", "email.disposable"},
      {"links_cluster_size", "links.cluster_size"}, {"links_linked_blocked", "links.linked_blocked"},
      {"links_linked_fraud", "links.linked_fraud"}};

  public static final FeatureSchema SCHEMA = new FeatureSchema("vigil.payment", 3, names(List.of(
      "amount_major", "hour_of_day", "is_night", "is_weekend",
      "account_count_1d", "account_count_7d", "account_count_30d",
      "account_mean_amount_1d", "account_mean_amount_7d", "account_mean_amount_30d",
      "amount_to_account_mean_7d", "amount_to_account_mean_30d",
      "merchant_count_1d", "merchant_count_7d", "merchant_count_30d",
      "merchant_labeled_1d_lagged", "merchant_labeled_7d_lagged", "merchant_labeled_30d_lagged",
      "merchant_fraud_ratio_1d_lagged", "merchant_fraud_ratio_7d_lagged", "merchant_fraud_ratio_30d_lagged",
      "merchant_known_fraud_28d", "account_known_fraud_30d",
      "merchant_distinct_accounts_1d", "account_distinct_devices_30d", "account_distinct_ips_1d",
      "ip_count_1h", "rules_score",
      "amount_to_account_prev_mean_7d", "amount_to_account_prev_mean_30d", "amount_to_account_prev_max_30d",
      "amount_zscore_account_30d", "account_hours_since_prev",
      "merchant_mean_amount_1d", "merchant_mean_amount_7d", "merchant_mean_amount_30d",
      "merchant_known_fraud_ratio_28d", "merchant_days_since_first_known_fraud_56d",
      "merchant_days_since_last_known_fraud_56d", "account_days_since_last_known_fraud_30d",
      "amount_to_account_mean_8_30d", "amount_zscore_account_8_30d", "account_max_7d_to_mean_8_30d")));

  private static List<String> names(List<String> windowAndLabelFeatures) {
    List<String> all = new java.util.ArrayList<>(windowAndLabelFeatures);
    for (String[] f : SIGNAL_FEATURES) {
      assert Signals.DECLARATIONS.containsKey(f[1]) : "a declared signal: " + f[1];
      all.add(f[0]);
    }
    return List.copyOf(all);
  }

  private static final long DAY_MILLIS = 86_400_000L;
  private static final long[] LABEL_WINDOWS_MILLIS = {DAY_MILLIS, 7 * DAY_MILLIS, 30 * DAY_MILLIS};
  private static final long MERCHANT_KNOWN_FRAUD_MILLIS = 28 * DAY_MILLIS;
  private static final long ACCOUNT_KNOWN_FRAUD_MILLIS = 30 * DAY_MILLIS;
  /** Velocity window slots (see FeatureView#value): count, sum, then distinct partners. */
  private static final int COUNT = 0;
  private static final int SUM = 1;
  private static final int PARTNERS = 4;

  private final FeatureStore store;
  private final LabelStore labels;
  private final long labelLagMillis;
  private final ZoneId zone;
  private final int hourWindow;
  private final int dayWindow;
  private final int weekWindow;
  private final int monthWindow;
  private final long[] labelCounts = new long[2 * LABEL_WINDOWS_MILLIS.length];
  private static final long[] HISTORY_WINDOWS_MILLIS = {7 * DAY_MILLIS, 8 * DAY_MILLIS, 30 * DAY_MILLIS};
  private static final long MERCHANT_FRAUD_SPAN_MILLIS = 56 * DAY_MILLIS;
  /** "Never" for the days-since features: longer than any window they look at. */
  private static final double NEVER_DAYS = 99;
  /** "No previous transaction" for hours since the previous one: the 30-day window's length. */
  private static final double NO_PREVIOUS_HOURS = 720;
  private final double[] history = new double[5 * HISTORY_WINDOWS_MILLIS.length];

  /**
   * @param labelLagMillis how far back the merchant ratio windows end (the usual label delay)
   * @param zone the time zone of the hour/night/weekend features when the event carries none
   */
  public ModelFeatures(FeatureStore store, LabelStore labels, long labelLagMillis, ZoneId zone) {
    if (labelLagMillis < 0 || labelLagMillis > 90 * DAY_MILLIS) throw new IllegalArgumentException("label lag must be 0-90 days");
    this.store = store;
    this.labels = labels;
    this.labelLagMillis = labelLagMillis;
    this.zone = zone;
    FeatureConfig config = store.config();
    this.hourWindow = windowIndex(config, 3_600_000L);
    this.dayWindow = windowIndex(config, DAY_MILLIS);
    this.weekWindow = windowIndex(config, 7 * DAY_MILLIS);
    this.monthWindow = windowIndex(config, 30 * DAY_MILLIS);
  }

  private static int windowIndex(FeatureConfig config, long millis) {
    List<Window> windows = config.windows();
    for (int i = 0; i < windows.size(); i++) if (windows.get(i).millis() == millis) return i;
    throw new IllegalArgumentException("the model features need a velocity window of " + millis / 3_600_000L + " h");
  }

  /**
   * Fills {@code out} (length {@link FeatureSchema#size()}) for an event the engine has just counted
   * in its windows (inside {@code Engine.decide}, after the rules), with the rules' score and the
   * event's signals (null: every signal feature as for an event without those fields).
   */
  public void compute(Event event, Signals signals, int rulesScore, double[] out) {
    if (out.length != SCHEMA.size()) throw new IllegalArgumentException("vector length must be " + SCHEMA.size());
    long t = event.occurredAtMillis();
    double amount = event.amountMajor();
    double minorPerMajor = event.hasAmount() && amount > 0 ? event.amountMinor() / amount : 100.0;
    ZoneId z = event.timezone() != null ? ZoneId.of(event.timezone()) : zone;
    long localMillis = t + 1_000L * z.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds();
    int hour = (int) (Math.floorMod(localMillis, DAY_MILLIS) / 3_600_000L);
    // 1970-01-01 was a Thursday: day 0 → Thursday, so (day + 3) mod 7 gives 0 = Monday … 6 = Sunday.
    int dayOfWeek = (int) Math.floorMod(Math.floorDiv(localMillis, DAY_MILLIS) + 3, 7L);
    int i = 0;
    out[i++] = amount;
    out[i++] = hour;
    out[i++] = hour <= 6 ? 1 : 0;
    out[i++] = dayOfWeek >= 5 ? 1 : 0;

    long[] account = query(Entity.ACCOUNT, event.accountId(), t, event.currency(), Integer.MAX_VALUE);
    int accountStride = stride(Entity.ACCOUNT);
    int[] days = {dayWindow, weekWindow, monthWindow};
    for (int w : days) out[i++] = value(account, accountStride, w, COUNT);
    for (int w : days) out[i++] = mean(account, accountStride, w, minorPerMajor);
    out[i++] = ratio(amount, mean(account, accountStride, weekWindow, minorPerMajor));
    out[i++] = ratio(amount, mean(account, accountStride, monthWindow, minorPerMajor));

    // Only the merchant's 1-day distinct accounts are a feature: its 30-day set is the costly one.
    long[] merchant = query(Entity.MERCHANT, event.merchantId(), t, event.currency(), dayWindow + 1);
    int merchantStride = stride(Entity.MERCHANT);
    for (int w : days) out[i++] = value(merchant, merchantStride, w, COUNT);
    labels.windowCounts(LabelScope.MERCHANT, event.merchantId(), t, labelLagMillis, LABEL_WINDOWS_MILLIS, labelCounts);
    for (int w = 0; w < LABEL_WINDOWS_MILLIS.length; w++) out[i++] = labelCounts[2 * w];
    for (int w = 0; w < LABEL_WINDOWS_MILLIS.length; w++) out[i++] = ratio(labelCounts[2 * w + 1], labelCounts[2 * w]);
    out[i++] = labels.counts(LabelScope.MERCHANT, event.merchantId(), t - MERCHANT_KNOWN_FRAUD_MILLIS, t, t).fraud();
    out[i++] = labels.counts(LabelScope.ACCOUNT, event.accountId(), t - ACCOUNT_KNOWN_FRAUD_MILLIS, t, t).fraud();

    out[i++] = value(merchant, merchantStride, dayWindow, PARTNERS + Entity.MERCHANT.partners().indexOf(Entity.ACCOUNT));
    out[i++] = value(account, accountStride, monthWindow, PARTNERS + Entity.ACCOUNT.partners().indexOf(Entity.DEVICE));
    out[i++] = value(account, accountStride, dayWindow, PARTNERS + Entity.ACCOUNT.partners().indexOf(Entity.IP));
    out[i++] = value(query(Entity.IP, event.ip(), t, event.currency(), 0), stride(Entity.IP), hourWindow, COUNT);
    out[i++] = rulesScore;

    // The customer's amounts before this event (the event itself left out): a spending spike against the own history.
    store.amountHistory(Entity.ACCOUNT, event.accountId(), event, HISTORY_WINDOWS_MILLIS, history);
    double prevMean7 = history[0] == 0 ? 0 : history[1] / history[0] / minorPerMajor;
    double prevCount30 = history[10], prevMean30 = prevCount30 == 0 ? 0 : history[11] / prevCount30 / minorPerMajor;
    out[i++] = ratio(amount, prevMean7);
    out[i++] = ratio(amount, prevMean30);
    out[i++] = ratio(amount, history[13] / minorPerMajor);
    out[i++] = zscore(amount, prevCount30, history[11], history[12], minorPerMajor);
    out[i++] = history[14] < 0 ? NO_PREVIOUS_HOURS : history[14] / 3600.0;
    for (int w : days) out[i++] = mean(merchant, merchantStride, w, minorPerMajor);

    LabelStore.FraudSpan merchantKnown = labels.fraudSpan(LabelScope.MERCHANT, event.merchantId(), t - MERCHANT_KNOWN_FRAUD_MILLIS, t, t);
    out[i++] = ratio(merchantKnown.fraud(), merchantKnown.labeled());
    LabelStore.FraudSpan merchantSpan = labels.fraudSpan(LabelScope.MERCHANT, event.merchantId(), t - MERCHANT_FRAUD_SPAN_MILLIS, t, t);
    out[i++] = merchantSpan.fraud() == 0 ? NEVER_DAYS : (t - merchantSpan.firstFraudAtMillis()) / (double) DAY_MILLIS;
    out[i++] = merchantSpan.fraud() == 0 ? NEVER_DAYS : (t - merchantSpan.lastFraudAtMillis()) / (double) DAY_MILLIS;
    LabelStore.FraudSpan accountSpan = labels.fraudSpan(LabelScope.ACCOUNT, event.accountId(), t - ACCOUNT_KNOWN_FRAUD_MILLIS, t, t);
    out[i++] = accountSpan.fraud() == 0 ? NEVER_DAYS : (t - accountSpan.lastFraudAtMillis()) / (double) DAY_MILLIS;
    // The customer's older history, (t − 30 d, t − 8 d]: before any fraud that is still unlabelled at t began.
    double oldCount = history[10] - history[5], oldSum = history[11] - history[6], oldSquares = history[12] - history[7];
    out[i++] = ratio(amount, oldCount == 0 ? 0 : oldSum / oldCount / minorPerMajor);
    out[i++] = zscore(amount, oldCount, oldSum, oldSquares, minorPerMajor);
    // A spike among the customer's other transactions of the last 7 days, against the same older baseline.
    out[i++] = oldCount == 0 ? 0 : ratio(history[3], oldSum / oldCount);
    for (String[] f : SIGNAL_FEATURES) out[i++] = signal(signals, f[1]);
    assert i == SCHEMA.size() : "every feature filled";
  }

  /** A signal as a number: true 1, false 0, a number itself (-1 is the signals' "unknown"); absent -1. */
  private static double signal(Signals signals, String name) {
    Object v = signals == null ? null : signals.value(name);
    if (v instanceof Boolean b) return b ? 1 : 0;
    if (v instanceof Number n) return n.doubleValue();
    return -1;
  }

  private long[] query(Entity entity, String key, long t, String currency, int partnerWindowCount) {
    return key == null ? null : store.query(entity, key, t, currency, Math.min(partnerWindowCount, store.config().windows().size()));
  }

  /** Values per window in the store's aggregate layout: count, sum, failed, near, then one per partner. */
  private static int stride(Entity entity) {
    return PARTNERS + entity.partners().size();
  }

  private static double value(long[] aggregate, int stride, int window, int slot) {
    return aggregate == null ? 0 : aggregate[window * stride + slot];
  }

  private static double mean(long[] aggregate, int stride, int window, double minorPerMajor) {
    double count = value(aggregate, stride, window, COUNT);
    return count == 0 ? 0 : value(aggregate, stride, window, SUM) / minorPerMajor / count;
  }

  /** (amount − mean) / std of a history given as count, sum and sum of squares in minor units; std at least 1 major unit. */
  private static double zscore(double amount, double count, double sumMinor, double squaresMinor, double minorPerMajor) {
    if (count < 2) return 0;
    double mean = sumMinor / count;
    double variance = Math.max(0, squaresMinor / count - mean * mean) / (minorPerMajor * minorPerMajor);
    return (amount - mean / minorPerMajor) / Math.max(Math.sqrt(variance), 1.0);
  }

  private static double ratio(double numerator, double denominator) {
    return denominator == 0 ? 0 : numerator / denominator;
  }
}
