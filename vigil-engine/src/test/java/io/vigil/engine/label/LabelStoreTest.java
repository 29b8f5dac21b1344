package io.vigil.engine.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.event.ValidationException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelStoreTest {
  static final long DAY = 86_400_000L;
  static final long T0 = 1_530_000_000_000L;
  final LabelStore store = new LabelStore(120 * DAY, 1_000_000);

  static Label fraud(String id, String event, String account, String merchant, long eventAt, long knownAt) {
    return Label.ofFlag(id, event, true, account, merchant, eventAt, knownAt);
  }

  @Test
  void noLabelIsVisibleBeforeItsKnownTime() {
    Random random = new Random(42);
    long[] eventAt = new long[500], knownAt = new long[500];
    for (int i = 0; i < 500; i++) {
      eventAt[i] = T0 + random.nextInt(20) * DAY + random.nextInt((int) DAY);
      knownAt[i] = eventAt[i] + random.nextInt(10 * (int) (DAY / 1000)) * 1000L;
      store.ingest(Label.ofFlag("l" + i, "e" + i, random.nextBoolean(), "acc" + (i % 7), "m" + (i % 5), eventAt[i], knownAt[i]));
    }
    long[] windows = {DAY, 7 * DAY, 30 * DAY};
    long[] out = new long[6];
    for (int probe = 0; probe < 400; probe++) {
      long asOf = T0 + random.nextInt(35) * DAY + random.nextInt((int) DAY);
      for (int i = 0; i < 500; i++) {
        Verdict v = store.verdict("e" + i, asOf);
        assertThat(v != null).as("label %d at %d (known %d)", i, asOf, knownAt[i]).isEqualTo(knownAt[i] <= asOf);
      }
      // Recount the merchant windows by brute force over what is known at asOf.
      String merchant = "m" + (probe % 5);
      store.windowCounts(LabelScope.MERCHANT, merchant, asOf, 0, windows, out);
      for (int w = 0; w < 3; w++) {
        long labeled = 0;
        for (int i = 0; i < 500; i++) {
          if (("m" + (i % 5)).equals(merchant) && knownAt[i] <= asOf && eventAt[i] > asOf - windows[w] && eventAt[i] <= asOf) labeled++;
        }
        assertThat(out[2 * w]).isEqualTo(labeled);
      }
    }
  }

  @Test
  void fraudSpanMatchesABruteForceRecountOfWhatIsKnown() {
    Random random = new Random(7);
    int n = 400;
    long[] eventAt = new long[n], knownAt = new long[n];
    boolean[] isFraud = new boolean[n];
    for (int i = 0; i < n; i++) {
      eventAt[i] = T0 + random.nextInt(40) * DAY + random.nextInt((int) DAY);
      knownAt[i] = eventAt[i] + random.nextInt(10 * (int) (DAY / 1000)) * 1000L;
      isFraud[i] = random.nextInt(4) == 0;
      store.ingest(Label.ofFlag("l" + i, "e" + i, isFraud[i], "acc" + (i % 3), "m" + (i % 4), eventAt[i], knownAt[i]));
    }
    for (int probe = 0; probe < 300; probe++) {
      long asOf = T0 + random.nextInt(50) * DAY + random.nextInt((int) DAY);
      long after = asOf - (1 + random.nextInt(40)) * DAY;
      String merchant = "m" + (probe % 4);
      long labeled = 0, fraud = 0, first = 0, last = 0;
      for (int i = 0; i < n; i++) {
        if (!("m" + (i % 4)).equals(merchant) || knownAt[i] > asOf || eventAt[i] <= after || eventAt[i] > asOf) continue;
        labeled++;
        if (!isFraud[i]) continue;
        fraud++;
        first = fraud == 1 ? eventAt[i] : Math.min(first, eventAt[i]);
        last = Math.max(last, eventAt[i]);
      }
      assertThat(store.fraudSpan(LabelScope.MERCHANT, merchant, after, asOf, asOf))
          .isEqualTo(new LabelStore.FraudSpan(labeled, fraud, first, last));
    }
  }

  @Test
  void aLabelAppearsExactlyAtItsKnownTimeInEveryQuery() {
    long eventAt = T0, knownAt = T0 + 7 * DAY;
    store.ingest(fraud("l1", "e1", "acc", "m1", eventAt, knownAt));
    long[] out = new long[2];
    for (long asOf : new long[] {eventAt, knownAt - 1}) {
      assertThat(store.verdict("e1", asOf)).isNull();
      assertThat(store.labels("e1", asOf)).isEmpty();
      assertThat(store.counts(LabelScope.ACCOUNT, "acc", eventAt - 1, asOf, asOf).labeled()).isZero();
      store.windowCounts(LabelScope.MERCHANT, "m1", asOf, 0, new long[] {30 * DAY}, out);
      assertThat(out).containsExactly(0, 0);
    }
    assertThat(store.verdict("e1", knownAt)).isEqualTo(Verdict.FRAUD);
    assertThat(store.counts(LabelScope.ACCOUNT, "acc", eventAt - 1, knownAt, knownAt)).isEqualTo(new LabelStore.Counts(1, 1));
    store.windowCounts(LabelScope.MERCHANT, "m1", knownAt, 0, new long[] {30 * DAY}, out);
    assertThat(out).containsExactly(1, 1);
  }

  @Test
  void laggedWindowsLookOnlyBeforeTheLag() {
    store.ingest(fraud("old", "e-old", "a", "m", T0, T0 + DAY));
    store.ingest(fraud("new", "e-new", "a", "m", T0 + 9 * DAY, T0 + 9 * DAY + 1));
    long asOf = T0 + 10 * DAY;
    long[] out = new long[4];
    store.windowCounts(LabelScope.MERCHANT, "m", asOf, 7 * DAY, new long[] {DAY, 7 * DAY}, out);
    // Windows end at asOf - 7 d = T0 + 3 d: the 1-day window (T0+2d, T0+3d] is empty, the 7-day one holds "old" only.
    assertThat(out).containsExactly(0, 0, 1, 1);
  }

  @Test
  void theVerdictKnownLastHoldsAndCountsFollowIt() {
    store.ingest(new Label("r1", "e1", LabelKind.REVIEWER_VERDICT, Verdict.FRAUD, null, null, "a", "m", T0, T0 + DAY));
    store.ingest(new Label("ap1", "e1", LabelKind.APPEAL, Verdict.LEGITIMATE, null, "overturned", "a", "m", T0, T0 + 3 * DAY));
    store.ingest(new Label("au1", "e1", LabelKind.AUTHORIZATION, Verdict.NONE, null, "approved", "a", "m", T0, T0));
    assertThat(store.verdict("e1", T0)).isNull();
    assertThat(store.verdict("e1", T0 + 2 * DAY)).isEqualTo(Verdict.FRAUD);
    assertThat(store.verdict("e1", T0 + 3 * DAY)).isEqualTo(Verdict.LEGITIMATE);
    assertThat(store.counts(LabelScope.MERCHANT, "m", T0 - 1, T0, T0 + 2 * DAY)).isEqualTo(new LabelStore.Counts(1, 1));
    assertThat(store.counts(LabelScope.MERCHANT, "m", T0 - 1, T0, T0 + 3 * DAY)).isEqualTo(new LabelStore.Counts(1, 0));
    assertThat(store.labels("e1", T0 + 3 * DAY)).hasSize(3);
  }

  @Test
  void ingestionIsIdempotentOnTheLabelId() {
    Label l = fraud("l1", "e1", "a", "m", T0, T0 + DAY);
    assertThat(store.ingest(l)).isEqualTo(LabelStore.Ingest.ACCEPTED);
    assertThat(store.ingest(fraud("l1", "e1", "a", "m", T0, T0 + DAY))).isEqualTo(LabelStore.Ingest.DUPLICATE);
    assertThat(store.labelCount()).isEqualTo(1);
    assertThat(store.counts(LabelScope.MERCHANT, "m", T0 - 1, T0, T0 + DAY).fraud()).isEqualTo(1);
    assertThatThrownBy(() -> store.ingest(Label.ofFlag("l1", "e1", false, "a", "m", T0, T0 + DAY)))
        .isInstanceOf(ValidationException.class).extracting("code").isEqualTo("label_id_conflict");
  }

  @Test
  void labelsOfOneEventMustAgreeOnTheEvent() {
    store.ingest(fraud("l1", "e1", "a", "m", T0, T0 + DAY));
    assertThatThrownBy(() -> store.ingest(fraud("l2", "e1", "other", "m", T0, T0 + DAY)))
        .isInstanceOf(ValidationException.class).extracting("code").isEqualTo("event_mismatch");
    for (int i = 2; i <= LabelStore.LABELS_PER_EVENT_MAX; i++) store.ingest(fraud("l" + i, "e1", "a", "m", T0, T0 + DAY + i));
    assertThatThrownBy(() -> store.ingest(fraud("l99", "e1", "a", "m", T0, T0 + 2 * DAY)))
        .isInstanceOf(ValidationException.class).extracting("code").isEqualTo("too_many_labels");
  }

  @Test
  void ingestionValidatesInput() {
    assertCode(() -> Label.ofFlag("l", "e", true, "a", "m", T0, T0 - 1), "label_before_event");
    assertCode(() -> Label.ofFlag("", "e", true, "a", "m", T0, T0), "invalid_identifier");
    assertCode(() -> Label.ofFlag("l", null, true, "a", "m", T0, T0), "missing_field");
    assertCode(() -> Label.ofFlag("l", "e", true, "a b", "m", T0, T0), "invalid_identifier");
    assertCode(() -> Label.ofFlag("l", "e", true, "a", "m", T0, T0 + Label.DELAY_MILLIS_MAX + 1), "label_too_late");
    assertCode(() -> new Label("l", "e", LabelKind.CHARGEBACK, Verdict.FRAUD, null, null, "a", "m", T0, T0), "missing_field");
    assertCode(() -> new Label("l", "e", LabelKind.CHARGEBACK, Verdict.FRAUD, "10.4; drop", null, "a", "m", T0, T0), "invalid_reason_code");
    assertCode(() -> new Label("l", "e", LabelKind.CHARGEBACK, Verdict.NONE, "10.4", null, "a", "m", T0, T0), "invalid_verdict");
    assertCode(() -> new Label("l", "e", LabelKind.AUTHORIZATION, Verdict.FRAUD, null, "approved", "a", "m", T0, T0), "invalid_verdict");
    assertCode(() -> new Label("l", "e", LabelKind.AUTHORIZATION, Verdict.NONE, null, "maybe", "a", "m", T0, T0), "invalid_outcome");
    assertCode(() -> new Label("l", "e", LabelKind.FRAUD, Verdict.LEGITIMATE, null, null, "a", "m", T0, T0), "invalid_verdict");
    assertCode(() -> new Label("l", "e", LabelKind.APPEAL, Verdict.FRAUD, null, null, "a", "m", T0, T0), "missing_field");
    assertCode(() -> new Label("l", "e", LabelKind.REVIEWER_VERDICT, Verdict.FRAUD, "10.4", null, "a", "m", T0, T0), "unexpected_field");
    Label chargeback = new Label("l", "e", LabelKind.CHARGEBACK, Verdict.FRAUD, "10.4", null, "a", "m", T0, T0 + 40 * DAY);
    assertThat(store.ingest(chargeback)).isEqualTo(LabelStore.Ingest.ACCEPTED);
  }

  @Test
  void theStoreIsBoundedAndForgetsOldEvents() {
    LabelStore small = new LabelStore(30 * DAY, 2);
    small.ingest(fraud("l1", "e1", "a", "m", T0, T0 + DAY));
    small.ingest(fraud("l2", "e2", "a", "m", T0 + 40 * DAY, T0 + 41 * DAY));
    assertThatThrownBy(() -> small.ingest(fraud("l3", "e3", "a", "m", T0, T0)))
        .isInstanceOf(ValidationException.class).extracting("code").isEqualTo("label_store_full");
    small.sweep(T0 + 45 * DAY);
    assertThat(small.labelCount()).isEqualTo(1);
    assertThat(small.verdict("e1", T0 + 45 * DAY)).isNull();
    assertThat(small.ingest(fraud("l4", "e4", "a", "m", T0, T0 + 50 * DAY))).isEqualTo(LabelStore.Ingest.EXPIRED);
  }

  @Test
  void admissionAnswersWhatIngestWouldAndChangesNothing() {
    LabelStore small = new LabelStore(30 * DAY, 1);
    Label first = fraud("l1", "e1", "a", "m", T0, T0 + DAY);
    assertThat(small.admission(first)).isEqualTo(LabelStore.Ingest.ACCEPTED);
    assertThat(small.labelCount()).isZero();
    small.ingest(first);
    assertThat(small.admission(first)).isEqualTo(LabelStore.Ingest.DUPLICATE);
    assertCode(() -> small.admission(fraud("l2", "e2", "a", "m", T0, T0)), "label_store_full");
    assertThat(small.labelCount()).isEqualTo(1);
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
    assertThatThrownBy(call).isInstanceOf(ValidationException.class).extracting("code").isEqualTo(code);
  }
}
