package io.vigil.server.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The signature against the Standard Webhooks specification's own example, and the back-off table. */
class WebhookSignatureTest {
  @Test
  void theSpecificationsExampleSignsAsPublished() {
    byte[] key = WebhookSignature.keyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
  }

  @Test
  void aSecretIsWhsecAndBase64OfThirtyTwoBytes() {
    byte[] key = WebhookSignature.newKey();
    assertEquals(32, key.length);
    assertEquals(key.length, WebhookSignature.keyOf(WebhookSignature.secretText(key)).length);
    assertThrows(IllegalArgumentException.class, () -> WebhookSignature.keyOf("vks_abc"));
  }

  @Test
  void backoffGrowsFromFiveSecondsAndRepeatsItsLastDelay() {
    assertEquals(Duration.ofSeconds(5), Backoff.after(1));
    assertEquals(Duration.ofSeconds(30), Backoff.after(2));
    assertEquals(Duration.ofMinutes(2), Backoff.after(3));
    assertEquals(Duration.ofHours(1), Backoff.after(5));
    assertEquals(Backoff.after(9), Backoff.after(50));
    assertThrows(IllegalArgumentException.class, () -> Backoff.after(0));
  }
}
