package io.vigil.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.journal.HashChain;
import org.junit.jupiter.api.Test;

/**
 * What anchoring and the start-up chain check cost: one Ed25519 signature (each anchor), one
 * verification (each anchor line verify-journal checks), and one chain hash (each row the
 * start-up rebuild reads), on a row of the size of a typical payment decision. Not part of the
 * test suite (the class name does not end in Test); it prints microseconds per operation:
 * <pre>
 * ./mvnw -q -B verify -pl vigil-server -am -Dtest=AnchorCostBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class AnchorCostBench {
  private static final int ROUNDS = 3;
  private static final int SIGNATURES = 2_000;
  private static final int HASHES = 500_000;

  @Test
  void signVerifyAndHash() {
    AnchorKey key = AnchorKey.generate();
    String head = "d6bdc86ac50345059651b1e1610f3d61bf4cf0a977b7045061e818c61d5faaea";
    String event = "{\"account_id\":\"acc-12345\",\"amount\":12345,\"currency\":\"USD\",\"device\":{\"id\":\"dev-abcdef\"},"
        + "\"event_id\":\"ev-1234567890\",\"ip\":\"203.0.113.7\",\"merchant_id\":\"m-42\",\"occurred_at\":\"2026-03-10T14:00:00Z\","
        + "\"type\":\"payment\"}";
    String response = "{\"decision_id\":\"dec_0000000000000000000000000\",\"event_id\":\"ev-1234567890\",\"action\":\"ALLOW\","
        + "\"score\":12,\"risk_level\":\"low\",\"reasons\":[],\"latency_micros\":123}";
    for (int round = 1; round <= ROUNDS; round++) {
      long t0 = System.nanoTime();
      Anchor last = null;
      for (int i = 0; i < SIGNATURES; i++) last = Anchor.signed(key, i, head, i, Anchor.INTERVAL);
      long t1 = System.nanoTime();
      int verified = 0;
      for (int i = 0; i < SIGNATURES; i++) if (last.verifiedBy(key.publicKey())) verified++;
      long t2 = System.nanoTime();
      String previous = HashChain.GENESIS;
      for (int i = 0; i < HASHES; i++) previous = HashChain.hash(previous, i, "dec_x", "ev-1234567890", i, 1, head, event, response);
      long t3 = System.nanoTime();
      assertThat(verified).isEqualTo(SIGNATURES);
      System.out.printf("round %d: sign %.0f us, verify %.0f us, chain hash %.2f us per row (event %d B, response %d B)%n", round,
          (t1 - t0) / 1e3 / SIGNATURES, (t2 - t1) / 1e3 / SIGNATURES, (t3 - t2) / 1e3 / HASHES, event.length(), response.length());
    }
  }
}
