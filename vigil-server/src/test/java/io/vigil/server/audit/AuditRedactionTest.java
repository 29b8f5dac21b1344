package io.vigil.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the trail stores of a body or a route's value: no secret field, no card number, at any depth. */
class AuditRedactionTest {
  /** A test card number (the well-known Visa test PAN), not anybody's. */
  private static final String TEST_PAN = "4111111111111111";

  @Test
  void secretFieldsAndCardNumbersAreRemovedAtAnyDepth() {
    String body = "{\"username\":\"op_test\",\"password\":\"pw-generated-1\",\"nested\":{\"new_password\":\"pw-generated-2\","
        + "\"totp_code\":\"123456\",\"list\":[{\"recovery_code\":\"rc-generated\"},{\"note\":\"card " + TEST_PAN + "\"}]},"
        + "\"code\":\"654321\",\"secret\":\"sk-generated\",\"amount\":" + TEST_PAN + ",\"reason\":\"kept\"}";
    String out = AuditRedaction.body(body.getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(out).doesNotContain("pw-generated", "123456", "654321", "rc-generated", "sk-generated", TEST_PAN)
        .contains("\"username\":\"op_test\"", "\"reason\":\"kept\"", AuditRedaction.REDACTED, AuditRedaction.CARD_NUMBER);
  }

  @Test
  void aBodyThatIsNotJsonIsKeptOnlyAsItsSize() {
    String out = AuditRedaction.body(("list,entity,value\nblock,card_token," + TEST_PAN).getBytes(StandardCharsets.UTF_8), "text/csv");
    assertThat(out).doesNotContain(TEST_PAN).contains("\"body_bytes\"", "text/csv");
  }

  @Test
  void aRoutesValueIsRedactedToo() {
    String out = AuditRedaction.value(Map.of("rule", Map.of("id", "r1", "api_key_secret", "x-generated"), "values", List.of(TEST_PAN)));
    assertThat(out).doesNotContain("x-generated", TEST_PAN).contains("\"id\":\"r1\"");
  }

  @Test
  void entityTypesComeFromTheRoute() {
    assertThat(AuditCapture.entityType("/v1/rules/{id}", "id")).isEqualTo("rule");
    assertThat(AuditCapture.entityType("/v1/accounts/{accountId}/restrictions", "accountId")).isEqualTo("account");
    assertThat(AuditCapture.entityType("/v1/lists/entries/{id}", "id")).isEqualTo("entry");
    assertThat(AuditCapture.entityType("/v1/features/{entity}/{value}", "value")).isEqualTo("value");
    assertThat(AuditCapture.entityType("/v1/policy/limits/{id}", "id")).isEqualTo("limit");
    assertThat(AuditCapture.entityType("/v1/api-keys/{keyId}/rotate", "keyId")).isEqualTo("api_key");
  }
}
