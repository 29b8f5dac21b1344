package io.vigil.server.console.holds;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.policy.Action;
import io.vigil.server.hold.ApprovalRepository;
import io.vigil.server.hold.HoldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the inbox words a hold's deadline, amount and what it still needs. */
class HoldsControllerTest {
  private static HoldState pending(int required, Map<String, Integer> roles, List<String> waitingFor,
      ApprovalRepository.Approval... given) {
    return new HoldState("dec_1", "acct_1", "p", required, roles, 0, Action.DENY, List.of(given), HoldState.PENDING, null,
        waitingFor, 0, null, null);
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
        Action.ALLOW, List.of(), 1, null, null);
    assertThat(HoldsController.stillNeeded(approved)).isEmpty();
  }

  @Test
  void anAmountIsWrittenInItsCurrencysDigits() {
    assertThat(HoldsController.amount(15_000_000L, "EUR")).isEqualTo("150,000.00 EUR");
    assertThat(HoldsController.amount(1_500L, "JPY")).isEqualTo("1,500 JPY");
    assertThat(HoldsController.amount(null, "EUR")).isEmpty();
  }

  /** Sequences 1..total, newest first, before a cursor; every {@code waitingEvery}-th one still waits. */
  private static HoldsController.Scan<Long, String> scan(Long before, long total, long waitingEvery, List<Integer> asked) {
    return HoldsController.scan(before, 3, 10, 45, (cursor, n) -> {
      asked.add(n);
      List<Long> rows = new ArrayList<>();
      for (long s = cursor == null ? total : cursor - 1; s >= 1 && rows.size() < n; s--) rows.add(s);
      return rows;
    }, rows -> rows.stream().map(s -> s % waitingEvery == 0 ? "pending" : null).toList(), s -> s);
  }

  @Test
  void theInboxReadsOlderBatchesUntilItsPageIsFilled() {
    List<Integer> asked = new ArrayList<>();
    var page = scan(null, 100, 12, asked); // waiting: 96, 84, 72 (in the fifth batch of ten rows, at 45 rows read at most)
    assertThat(page.rows()).containsExactly(96L, 84L, 72L);
    assertThat(page.judged()).containsOnly("pending");
    assertThat(page.bounded()).isFalse();
    assertThat(page.next()).as("the next page starts after the last hold shown").isEqualTo(72L);
    assertThat(page.scanned()).isEqualTo(29);
    assertThat(asked).containsExactly(10, 10, 10);
  }

  @Test
  void theInboxStopsAtItsBoundAndSaysWhereToGoOn() {
    List<Integer> asked = new ArrayList<>();
    var page = scan(null, 100, 50, asked); // only 100 and 50 wait: 50 is beyond the 45 rows read at most
    assertThat(page.rows()).containsExactly(100L);
    assertThat(page.bounded()).isTrue();
    assertThat(page.scanned()).isEqualTo(45);
    assertThat(page.next()).as("the older page goes on from the last row read").isEqualTo(56L);
    assertThat(asked).containsExactly(10, 10, 10, 10, 5);
    assertThat(scan(page.next(), 100, 50, new ArrayList<>()).rows()).as("and finds the older hold").containsExactly(50L);
  }

  @Test
  void theInboxEndsWhenTheHistoryRunsOut() {
    var page = scan(null, 25, 1_000, new ArrayList<>());
    assertThat(page.rows()).isEmpty();
    assertThat(page.bounded()).isFalse();
    assertThat(page.next()).isNull();
    assertThat(page.scanned()).isEqualTo(25);
  }
}
