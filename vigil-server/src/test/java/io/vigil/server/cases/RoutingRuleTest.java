package io.vigil.server.cases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A queue's routing condition: every part given must hold; a part left empty holds for any case. */
class RoutingRuleTest {
  private static final RoutingRule ANY = new RoutingRule(Set.of(), Set.of(), Set.of(), null, Set.of());

  @Test
  void theEmptyRuleCatchesEverything() {
    assertTrue(ANY.matches(trigger("login", CaseOrigin.CHALLENGE_FAILED, null, null, Set.of())));
    assertTrue(ANY.matches(trigger("payment", CaseOrigin.REVIEW, "high", 5_00L, Set.of("velocity"))));
  }

  @Test
  void eachPartNarrowsTheRule() {
    RoutingRule risky = new RoutingRule(Set.of(), Set.of(), Set.of("high", "critical"), null, Set.of());
    assertTrue(risky.matches(trigger("payment", CaseOrigin.REVIEW, "critical", 1L, Set.of())));
    assertFalse(risky.matches(trigger("payment", CaseOrigin.REVIEW, "medium", 1L, Set.of())));
    assertFalse(risky.matches(trigger("payment", CaseOrigin.REVIEW, null, 1L, Set.of())), "no risk level is not a high one");

    RoutingRule fired = new RoutingRule(Set.of(), Set.of(), Set.of(), null, Set.of("sanctions_hit", "pep_hit"));
    assertTrue(fired.matches(trigger("transfer", CaseOrigin.HOLD, "low", 1L, Set.of("velocity", "pep_hit"))), "any one of them");
    assertFalse(fired.matches(trigger("transfer", CaseOrigin.HOLD, "low", 1L, Set.of("velocity"))));

    RoutingRule appeals = new RoutingRule(Set.of(), Set.of(CaseOrigin.APPEAL), Set.of(), null, Set.of());
    assertTrue(appeals.matches(trigger("payment", CaseOrigin.APPEAL, "low", 1L, Set.of())));
    assertFalse(appeals.matches(trigger("payment", CaseOrigin.REVIEW, "low", 1L, Set.of())));

    RoutingRule large = new RoutingRule(Set.of("withdrawal"), Set.of(), Set.of(), 1_000_000_00L, Set.of());
    assertTrue(large.matches(trigger("withdrawal", CaseOrigin.REVIEW, "low", 1_000_000_00L, Set.of())), "the minimum is inclusive");
    assertFalse(large.matches(trigger("withdrawal", CaseOrigin.REVIEW, "low", 999_999_99L, Set.of())));
    assertFalse(large.matches(trigger("withdrawal", CaseOrigin.REVIEW, "low", null, Set.of())), "no amount is not a large one");
    assertFalse(large.matches(trigger("payment", CaseOrigin.REVIEW, "low", 1_000_000_00L, Set.of())));
  }

  private static CaseTrigger trigger(String eventType, CaseOrigin origin, String riskLevel, Long amountMinor, Set<String> rules) {
    return new CaseTrigger("dec_routed", origin, "acct_routed", eventType, "REVIEW", riskLevel, amountMinor, "USD", rules,
        Map.of("account", "acct_routed"), 0);
  }
}
