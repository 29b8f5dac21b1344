package io.vigil.server.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private static final CommonPasswords COMMON = CommonPasswords.bundled();

  private static PasswordPolicy policy(int minLength, boolean symbol) {
    return new PasswordPolicy(new OperatorProperties.Password(minLength, true, true, true, symbol, 4), COMMON);
  }

  @Test
  void aLongMixedPasswordPasses() {
    assertEquals(List.of(), policy(8, true).refusals("Vx7#qpLm2!zR", "alice"));
  }

  @Test
  void eachMissingClassIsNamed() {
    assertEquals(List.of("too_short"), policy(8, true).refusals("Vx7#qpL", "alice"));
    assertEquals(List.of("missing_upper_case"), policy(8, true).refusals("vx7#qplm2!zr", "alice"));
    assertEquals(List.of("missing_lower_case"), policy(8, true).refusals("VX7#QPLM2!ZR", "alice"));
    assertEquals(List.of("missing_digit"), policy(8, true).refusals("Vxq#qpLmw!zR", "alice"));
    assertEquals(List.of("missing_symbol"), policy(8, true).refusals("Vx7qqpLm2wzR", "alice"));
    assertEquals(List.of(), policy(8, false).refusals("Vx7qqpLm2wzR", "alice"));
  }

  @Test
  void theMinimumLengthIsConfigurable() {
    assertEquals(List.of("too_short"), policy(14, true).refusals("Vx7#qpLm2!zR", "alice"));
  }

  @Test
  void commonPasswordsAreRefusedEvenDressedUp() {
    assertTrue(COMMON.size() > 40_000, "the bundled list is the full one");
    assertEquals(List.of("common_password"), policy(8, true).refusals("Password1!", "alice"));
    assertEquals(List.of("common_password"), policy(8, true).refusals("!1Baseball2024", "alice"));
    assertEquals(List.of("common_password"), policy(8, false).refusals("Trustno1", "alice"));
  }

  @Test
  void theUsernameAndOverlongPasswordsAreRefused() {
    assertTrue(policy(8, true).refusals("Xq7!mallory", "mallory").contains("contains_username"));
    assertTrue(policy(8, true).refusals("Vx7#" + "a".repeat(70), "alice").contains("too_long"));
    assertTrue(policy(8, true).refusals("Vx7#qpLm2!" + "é".repeat(32), "alice").contains("too_long"), "72 bytes is BCrypt's limit");
  }
}
