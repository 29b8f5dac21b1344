package io.vigil.server.reversal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every branch of reversal eligibility, the window at its exact edge. */
class ReversalEligibilityTest {
  static final long T = 1_800_000_000_000L;
  static final long WINDOW = 600_000L;

  private static ReversalEligibility.Answer ask(String type, String action, long requestedAt, String method, boolean reversed,
      int recent, String risk, boolean restricted) {
    return ReversalEligibility.evaluate(type, action, T, requestedAt, WINDOW, method, reversed, recent, 3, risk, restricted);
  }

  private static List<String> codes(ReversalEligibility.Answer a) {
    return a.reasons().stream().map(ReversalEligibility.Reason::code).toList();
  }

  @Test
  void aVerifiedRequestWithinTheWindowIsApprovedUpToTheLastMillisecond() {
    assertThat(ask("payment", "ALLOW", T + WINDOW, "biometric", false, 0, "low", false).outcome()).isEqualTo("approve");
    ReversalEligibility.Answer late = ask("payment", "ALLOW", T + WINDOW + 1, "biometric", false, 0, "low", false);
    assertThat(late.outcome()).isEqualTo("deny");
    assertThat(codes(late)).containsExactly("window_passed");
  }

  @Test
  void eachDenialHasItsReason() {
    assertThat(codes(ask("refund", "ALLOW", T, "biometric", false, 0, "low", false))).containsExactly("refund_of_refund");
    assertThat(codes(ask("login", "ALLOW", T, "biometric", false, 0, "low", false))).containsExactly("not_a_payment");
    assertThat(codes(ask("payment", "DENY", T, "biometric", false, 0, "low", false))).containsExactly("not_completed");
    assertThat(codes(ask("payment", "CHALLENGE", T, "biometric", false, 0, "low", false))).containsExactly("not_completed");
    assertThat(codes(ask("payment", "ALLOW", T, null, false, 0, "low", false))).containsExactly("identity_not_verified");
    assertThat(codes(ask("payment", "ALLOW", T, "sms_otp", false, 0, "low", false))).containsExactly("identity_not_verified");
    assertThat(codes(ask("payment", "ALLOW", T, "biometric", true, 0, "low", false))).containsExactly("already_reversed");
    assertThat(codes(ask("refund", "DENY", T + WINDOW + 1, null, true, 0, "low", false)))
        .containsExactly("refund_of_refund", "not_completed", "window_passed", "identity_not_verified", "already_reversed");
  }

  @Test
  void riskySignsSendAnEligibleRequestToAPerson() {
    assertThat(codes(ask("transfer", "ALLOW", T, "id_document", false, 2, "low", false))).containsExactly("frequent_reversals");
    assertThat(ask("transfer", "ALLOW", T, "id_document", false, 1, "low", false).outcome()).isEqualTo("approve");
    assertThat(codes(ask("withdrawal", "ALLOW", T, "id_document", false, 0, "high", false))).containsExactly("risky_original");
    assertThat(codes(ask("payment", "ALLOW", T, "id_document", false, 0, "medium", true))).containsExactly("account_restricted");
  }
}
