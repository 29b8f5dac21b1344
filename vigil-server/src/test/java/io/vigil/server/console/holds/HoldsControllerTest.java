package io.vigil.server.console.holds;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.policy.Action;
import io.vigil.server.hold.ApprovalRepository;
import io.vigil.server.hold.HoldState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the inbox words a hold's deadline, amount and what it still needs. */
class HoldsControllerTest {
  private static HoldState pending(int required, Map<String, Integer> roles, List<String> waitingFor,
      ApprovalRepository.Approval... given) {
    return new HoldState("dec_1", "acct_1", "p", required, roles, 0, Action.DENY, List.of(given), HoldState.PENDING, null,
        waitingFor, 0, null);
  }

  @Test
  void theDeadlineReadsAsTimeLeftOrOverdue() {
    assertThat(HoldsController.timeLeft(90_061_000L)).isEqualTo("1 d 1 h left");
    assertThat(HoldsController.timeLeft(7_500_000L)).isEqualTo("2 h 5 min left");
    assertThat(HoldsController.timeLeft(59_000L)).isEqualTo("59 s left");
    assertThat(HoldsController.timeLeft(-180_000L)).isEqualTo("overdue by 3 min");
    assertThat(HoldsController.timeLeft(0)).isEqualTo("overdue by 0 s");
  }

  @Test
  void whatIsStillNeededNamesTheMissingRolesTheOtherApprovalsAndTheChallenge() {
    var alice = new ApprovalRepository.Approval("dec_1", "ops.alice", "approver", 1, "ops.alice");
    assertThat(HoldsController.stillNeeded(pending(2, Map.of(), List.of("approvals", "challenge"), alice)))
        .containsExactly("1 more approval (approver or supervisor)", "the payer's challenge result");
    assertThat(HoldsController.stillNeeded(pending(3, Map.of("supervisor", 1), List.of("approvals"), alice)))
        .containsExactly("1 supervisor", "1 more approval (approver or supervisor)");
    assertThat(HoldsController.stillNeeded(pending(2, Map.of("supervisor", 2), List.of("approvals"))))
        .containsExactly("2 supervisors");
    HoldState approved = new HoldState("dec_1", "acct_1", "p", 1, Map.of(), 0, Action.DENY, List.of(alice), HoldState.APPROVED,
        Action.ALLOW, List.of(), 1, null);
    assertThat(HoldsController.stillNeeded(approved)).isEmpty();
  }

  @Test
  void anAmountIsWrittenInItsCurrencysDigits() {
    assertThat(HoldsController.amount(15_000_000L, "EUR")).isEqualTo("150,000.00 EUR");
    assertThat(HoldsController.amount(1_500L, "JPY")).isEqualTo("1,500 JPY");
    assertThat(HoldsController.amount(1_234L, "XXQ")).isEqualTo("12.34 XXQ");
    assertThat(HoldsController.amount(null, "EUR")).isEmpty();
  }
}
