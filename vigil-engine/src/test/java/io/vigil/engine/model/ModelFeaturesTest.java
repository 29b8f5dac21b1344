package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.event.Event;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.label.Label;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.DefaultPolicyPack;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelFeaturesTest {
  static final long DAY = 86_400_000L;
  final Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
  final LabelStore labels = new LabelStore(120 * DAY, 10_000);
  final ModelFeatures features = new ModelFeatures(engine.features(), labels, 7 * DAY, java.time.ZoneOffset.UTC);

  ModelFeaturesTest() {
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
  }

  double[] decide(String id, long t, String account, String merchant, long amountMinor) {
    var body = TestEvents.payment(id, t, account, amountMinor, "USD");
    body.put("merchant_id", merchant);
    Event e = TestEvents.parse(body);
    double[] v = new double[ModelFeatures.SCHEMA.size()];
    features.compute(e, null, engine.decide(e, t).rulesScore(), v);
    return v;
  }

  double f(double[] v, String name) {
    return v[ModelFeatures.SCHEMA.indexOf(name)];
  }

  @Test
  void theSchemaHasAtLeastTenNamedFeatures() {
    assertThat(ModelFeatures.SCHEMA.size()).isGreaterThanOrEqualTo(10);
    assertThat(ModelFeatures.SCHEMA.id()).isEqualTo("vigil.payment@3");
  }

  @Test
  void signalFeaturesAreTheDecisionsOwnSignals() {
    long t = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();
    var first = TestEvents.payment("s1", t, "acct-a", 5_000, "USD");
    first.put("phone", "+8801712345678");
    engine.decide(TestEvents.parse(first), t);
    var second = TestEvents.payment("s2", t + 1_000, "acct-b", 5_000, "USD");
    second.put("phone", "+8801712345678");
    second.put("email", "someone@mailinator.com");
    var decision = engine.decide(TestEvents.parse(second), t + 1_000);
    double[] v = decision.model().features();
    assertThat(f(v, "links_cluster_size")).isEqualTo(1); // acct-a shares acct-b's phone (the cluster counts the others)
    assertThat(f(v, "email_disposable")).isEqualTo(1);
    assertThat(f(v, "phone_new_for_account")).isZero(); // the account's first phone is a binding, not a change
    assertThat(f(v, "phone_account_binding_age_days")).isZero(); // bound by this very event
    assertThat(f(v, "links_linked_blocked")).isZero();
    assertThat(f(v, "geo_distance_from_usual_km")).isEqualTo(-1); // no located event yet: the signals' "unknown"
    // An event without those fields (as every FDH row): the same constants for every such event.
    double[] plain = engine.decide(TestEvents.parse(TestEvents.payment("s3", t + 2_000, "acct-c", 5_000, "USD")), t + 2_000)
        .model().features();
    double[] plain2 = engine.decide(TestEvents.parse(TestEvents.payment("s4", t + 3_000, "acct-d", 9_000, "USD")), t + 3_000)
        .model().features();
    for (int i = ModelFeatures.SCHEMA.indexOf("ip_hosting"); i < ModelFeatures.SCHEMA.size(); i++) {
      assertThat(plain[i]).as(ModelFeatures.SCHEMA.featureNames().get(i)).isEqualTo(plain2[i]);
    }
    assertThat(f(plain, "email_disposable")).isZero();
    assertThat(f(plain, "links_cluster_size")).isZero();
  }

  @Test
  void customerWindowsAndTimeFeaturesComeFromThePast() {
    long sat = Instant.parse("2018-08-04T03:00:00Z").toEpochMilli(); // a Saturday night
    decide("e1", sat - 2 * DAY, "c1", "t1", 10_000);
    decide("e2", sat - 3_600_000L, "c1", "t2", 20_000);
    double[] v = decide("e3", sat, "c1", "t1", 90_000);
    assertThat(f(v, "amount_major")).isEqualTo(900.0);
    assertThat(f(v, "hour_of_day")).isEqualTo(3);
    assertThat(f(v, "is_night")).isEqualTo(1);
    assertThat(f(v, "is_weekend")).isEqualTo(1);
    assertThat(f(v, "account_count_1d")).isEqualTo(2);
    assertThat(f(v, "account_count_7d")).isEqualTo(3);
    assertThat(f(v, "account_mean_amount_7d")).isEqualTo(400.0);
    assertThat(f(v, "amount_to_account_mean_7d")).isEqualTo(900.0 / 400.0);
    assertThat(f(v, "merchant_count_7d")).isEqualTo(2);
    assertThat(f(v, "rules_score")).isEqualTo(20); // off_hours
    double[] monday = decide("e4", Instant.parse("2018-08-06T12:00:00Z").toEpochMilli(), "c2", "t1", 100);
    assertThat(f(monday, "is_weekend")).isZero();
    assertThat(f(monday, "is_night")).isZero();
  }

  @Test
  void labelFeaturesSeeOnlyLabelsKnownAtTheEventTime() {
    long t0 = Instant.parse("2018-08-01T12:00:00Z").toEpochMilli();
    decide("e1", t0, "c1", "t1", 1_000);
    labels.ingest(Label.ofFlag("l1", "e1", true, "c1", "t1", t0, t0 + 7 * DAY));
    double[] before = decide("e2", t0 + 7 * DAY - 1, "c2", "t1", 1_000);
    assertThat(f(before, "merchant_known_fraud_28d")).isZero();
    assertThat(f(before, "merchant_labeled_7d_lagged")).isZero();
    assertThat(f(before, "account_known_fraud_30d")).isZero();
    double[] after = decide("e3", t0 + 7 * DAY, "c1", "t1", 1_000);
    assertThat(f(after, "merchant_known_fraud_28d")).isEqualTo(1);
    assertThat(f(after, "merchant_labeled_7d_lagged")).isEqualTo(1);
    assertThat(f(after, "merchant_fraud_ratio_7d_lagged")).isEqualTo(1.0);
    assertThat(f(after, "account_known_fraud_30d")).isEqualTo(1);
  }

  @Test
  void historyFeaturesLeaveTheEventItselfOut() {
    long t = Instant.parse("2018-08-10T12:00:00Z").toEpochMilli();
    double[] first = decide("h0", t - 20 * DAY, "c9", "t1", 5_000);
    decide("h1", t - 10 * DAY, "c1", "t1", 10_000); // 100.00, in the old baseline (t − 30 d, t − 8 d]
    decide("h2", t - 2 * DAY, "c1", "t2", 20_000); // 200.00, recent
    assertThat(f(first, "account_hours_since_prev")).isEqualTo(720);
    assertThat(f(first, "amount_to_account_prev_mean_30d")).isZero();
    double[] v = decide("h3", t, "c1", "t1", 90_000);
    assertThat(f(v, "amount_to_account_prev_mean_30d")).isEqualTo(900.0 / 150.0);
    assertThat(f(v, "amount_to_account_prev_mean_7d")).isEqualTo(900.0 / 200.0);
    assertThat(f(v, "amount_to_account_prev_max_30d")).isEqualTo(900.0 / 200.0);
    assertThat(f(v, "amount_zscore_account_30d")).isEqualTo((900.0 - 150.0) / 50.0);
    assertThat(f(v, "account_hours_since_prev")).isEqualTo(48.0);
    assertThat(f(v, "amount_to_account_mean_8_30d")).isEqualTo(9.0);
    assertThat(f(v, "amount_zscore_account_8_30d")).isZero(); // one old transaction: no spread
    assertThat(f(v, "merchant_mean_amount_30d")).isEqualTo((100.0 + 50.0 + 900.0) / 3);
  }

  @Test
  void merchantFraudSpanUsesOnlyKnownLabels() {
    long t0 = Instant.parse("2018-08-01T12:00:00Z").toEpochMilli();
    decide("s1", t0, "c1", "t1", 1_000);
    decide("s2", t0 + 2 * DAY, "c2", "t1", 1_000);
    decide("s3", t0 + 3 * DAY, "c3", "t1", 1_000);
    labels.ingest(Label.ofFlag("ls1", "s1", true, "c1", "t1", t0, t0 + 7 * DAY));
    labels.ingest(Label.ofFlag("ls2", "s2", true, "c2", "t1", t0 + 2 * DAY, t0 + 9 * DAY));
    labels.ingest(Label.ofFlag("ls3", "s3", false, "c3", "t1", t0 + 3 * DAY, t0 + 10 * DAY));
    double[] early = decide("s4", t0 + 7 * DAY - 1, "c4", "t1", 1_000);
    assertThat(f(early, "merchant_days_since_first_known_fraud_56d")).isEqualTo(99);
    assertThat(f(early, "merchant_known_fraud_ratio_28d")).isZero();
    double[] later = decide("s5", t0 + 10 * DAY, "c1", "t1", 1_000);
    assertThat(f(later, "merchant_days_since_first_known_fraud_56d")).isEqualTo(10.0);
    assertThat(f(later, "merchant_days_since_last_known_fraud_56d")).isEqualTo(8.0);
    assertThat(f(later, "merchant_known_fraud_ratio_28d")).isEqualTo(2.0 / 3.0);
    assertThat(f(later, "account_days_since_last_known_fraud_30d")).isEqualTo(10.0);
  }
}
