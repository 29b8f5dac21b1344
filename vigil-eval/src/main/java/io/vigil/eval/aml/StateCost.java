package io.vigil.eval.aml;

import io.vigil.engine.monitoring.MonitorState;
import io.vigil.engine.monitoring.Movement;
import java.util.List;
import java.util.Set;

/**
 * Measures what the monitor's state costs: the heap an account holds with one identity key and no
 * transfer, then what each transfer adds (held in the sender's out-queue and the receiver's
 * in-queue), with server-like ids (36-character decision ids, 40-character account ids).
 * Usage: {@code StateCost [accounts] [transfersPerAccount]}.
 */
public final class StateCost {
  private StateCost() {}

  public static void main(String[] args) {
    int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int perAccount = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    if (perAccount > MonitorState.MOVES_PER_ACCOUNT_MAX / 2) throw new IllegalArgumentException("at most 128 transfers per account");
    String[] ids = new String[accounts];
    for (int i = 0; i < accounts; i++) ids[i] = String.format("acct_%035d", i);
    long base = AmlSimReplay.usedHeap();
    MonitorState state = new MonitorState(accounts, accounts);
    long t0 = 1_735_689_600_000L;
    for (int i = 0; i < accounts; i++) {
      state.add(new Movement(decisionId(i, -1), "login", ids[i], null, Movement.NO_AMOUNT, t0, List.of("device:" + ids[i]), Set.of()));
    }
    long withAccounts = AmlSimReplay.usedHeap();
    long transfers = 0;
    for (int k = 0; k < perAccount; k++) {
      for (int i = 0; i < accounts; i++) {
        state.add(new Movement(decisionId(i, k), "transfer", ids[i], ids[(i + k + 1) % accounts], 10_000, t0 + k * 60_000L, List.of(),
            Set.of()));
        transfers++;
      }
    }
    long withTransfers = AmlSimReplay.usedHeap();
    // state is read after the last measure, so the collector cannot take it before.
    if (state.accounts() != accounts) throw new IllegalStateException("accounts were evicted");
    System.out.printf("state cost: %,d accounts, %,d transfers: %,.0f bytes per account (its entry, queues and one identity key),"
        + " %,.0f bytes per transfer (the movement, held in two queues)%n", accounts, transfers,
        (double) (withAccounts - base) / accounts, (double) (withTransfers - withAccounts) / transfers);
  }

  private static String decisionId(int account, int k) {
    return String.format("dec_%016x%016x", account, k & 0xffffffffL);
  }
}
