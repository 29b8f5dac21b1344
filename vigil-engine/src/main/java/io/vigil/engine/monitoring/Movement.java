package io.vigil.engine.monitoring;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One committed decision as monitoring reads it: who moved how much to whom, when, from which
 * identities. Money flows from {@code accountId} to {@code counterpartyId} (null when the event names
 * none: a withdrawal, a login).
 *
 * @param amountMinor the amount in minor units of the operator's currency; {@link #NO_AMOUNT} when the
 *     event moves no money or its currency has no rate
 * @param identities identity keys the event carries, typed ({@code device:…}, {@code phone:…},
 *     {@code national_id:…}); at most {@link #IDENTITIES_MAX}
 * @param ruleIds the rules that fired on the decision
 */
public record Movement(String decisionId, String type, String accountId, String counterpartyId, long amountMinor,
    long occurredAtMillis, List<String> identities, Set<String> ruleIds) {
  public static final long NO_AMOUNT = -1;
  public static final int IDENTITIES_MAX = 4;

  public Movement {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(type, "type");
    identities = List.copyOf(identities.size() > IDENTITIES_MAX ? identities.subList(0, IDENTITIES_MAX) : identities);
    ruleIds = Set.copyOf(ruleIds);
  }

  /** Whether this movement carries money in the operator's currency. */
  public boolean movesMoney() {
    return amountMinor > 0 && accountId != null;
  }

  /** Whether money left the account for another account (a transfer or payment with a counterparty). */
  public boolean isTransfer() {
    return movesMoney() && counterpartyId != null && !counterpartyId.equals(accountId)
        && ("transfer".equals(type) || "payment".equals(type));
  }

  /** Whether the movement is cash-like: money leaving the system (a withdrawal). */
  public boolean isCashLike() {
    return movesMoney() && "withdrawal".equals(type);
  }
}
