package io.vigil.engine.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.event.EventType;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine with a release: the side's policy acts, the other is recorded and never acted on. */
class EngineReleaseTest {
  static final long NOON = Instant.parse("2026-11-21T14:00:00Z").toEpochMilli();
  Engine engine;
  CompiledPolicy live;
  CompiledPolicy candidate;

  @BeforeEach
  void setUp() {
    engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    live = CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler());
    engine.install(live);
    PolicyDocument base = DefaultPolicyPack.document();
    List<RuleDefinition> rules = new ArrayList<>(base.rules());
    rules.add(new RuleDefinition("candidate_deny_all", "deny every payment", Set.of(EventType.PAYMENT), "event.amount > 0",
        RuleEffect.force(RuleEffect.ForcedAction.DENY, null), "denied by the candidate", true));
    candidate = CompiledPolicy.compile(base.withRules(base.version() + 1, rules), engine.compiler());
  }

  private Released decide(String eventId, String account, ReleaseSnapshot snapshot) {
    return engine.decide(TestEvents.parse(TestEvents.payment(eventId, NOON, account, 1_000, "USD")), NOON, snapshot);
  }

  @Test
  void aShadowCandidateIsRecordedOnEveryDecisionAndNeverActs() {
    ReleaseSnapshot shadow = new ReleaseSnapshot("rel_shadow", candidate, false, 100);
    for (int i = 0; i < 50; i++) {
      Released r = decide("e" + i, "acct-" + i, shadow);
      assertThat(r.decision().action()).isEqualTo(Action.ALLOW);
      assertThat(r.decision().policyVersion()).isEqualTo(live.version());
      assertThat(r.decision().reasons()).extracting(Reason::ruleId).doesNotContain("candidate_deny_all");
      assertThat(r.release().side()).isEqualTo(Side.LIVE);
      assertThat(r.release().other().action()).isEqualTo(Action.DENY);
      assertThat(r.release().other().policyVersion()).isEqualTo(candidate.version());
      assertThat(r.release().other().rulesFired()).contains("candidate_deny_all");
    }
  }

  @Test
  void aGrayCandidateActsOnlyOnItsSide() {
    ReleaseSnapshot gray = new ReleaseSnapshot("rel_gray", candidate, true, 30);
    int candidateSide = 0;
    for (int i = 0; i < 400; i++) {
      String account = "acct-gray-" + i;
      Released r = decide("g" + i, account, gray);
      boolean onCandidate = StableSplit.candidate(account, 30);
      assertThat(r.release().side()).isEqualTo(onCandidate ? Side.CANDIDATE : Side.LIVE);
      if (onCandidate) {
        candidateSide++;
        assertThat(r.decision().action()).isEqualTo(Action.DENY);
        assertThat(r.decision().policyVersion()).isEqualTo(candidate.version());
        assertThat(r.release().other().action()).as("live, recorded").isEqualTo(Action.ALLOW);
        assertThat(r.release().other().policyVersion()).isEqualTo(live.version());
      } else {
        assertThat(r.decision().action()).isEqualTo(Action.ALLOW);
        assertThat(r.decision().policyVersion()).isEqualTo(live.version());
        assertThat(r.release().other().action()).isEqualTo(Action.DENY);
      }
      assertThat(r.release().livePolicyVersion()).isEqualTo(live.version());
      assertThat(r.release().candidatePolicyVersion()).isEqualTo(candidate.version());
    }
    assertThat(candidateSide).isBetween(80, 160);
  }

  @Test
  void withoutAReleaseTheDecisionIsTheLivePolicysAlone() {
    Released r = decide("n1", "acct-none", null);
    assertThat(r.release()).isNull();
    assertThat(r.decision().action()).isEqualTo(Action.ALLOW);
    Released zero = decide("n2", "acct-none", new ReleaseSnapshot("rel_zero", candidate, true, 0));
    assertThat(zero.release().side()).isEqualTo(Side.LIVE);
    assertThat(zero.decision().action()).isEqualTo(Action.ALLOW);
  }
}
