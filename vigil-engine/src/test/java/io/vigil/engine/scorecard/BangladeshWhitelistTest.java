package io.vigil.engine.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.signal.TestReference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documents' Bangladesh whitelist (L2), scored end to end on the real geo database. */
class BangladeshWhitelistTest {
  @TempDir Path temp;
  Engine engine;
  long now = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
  int sequence;

  @BeforeEach
  void setUp() throws Exception {
    engine = new Engine(FeatureConfig.defaults(), SignalConfig.defaults(), new ListIndex(),
        ReferenceDataLoader.load(TestReference.directory(temp), 1, 1_000));
    PolicyDocument d = DefaultPolicyPack.document();
    engine.install(CompiledPolicy.compile(d.withScorecards(2, List.of(DefaultPolicyPack.bangladeshWhitelist().withEnabled(true))),
        engine.compiler()));
  }

  private Decision login(String ip, String documents, Map<String, Object> client) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", "e" + (++sequence));
    body.put("type", "login");
    body.put("occurred_at", Instant.ofEpochMilli(now).toString());
    body.put("account_id", "acct_1");
    body.put("channel", "whitelist");
    body.put("ip", ip);
    body.put("phone", "+8801712345678");
    body.put("sim", Map.of("binding_age_days", 45L));
    body.put("device", Map.of("id", "dev_1", "fingerprint", "fp_1",
        "user_agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"));
    body.put("identity", Map.of("document_status", documents));
    body.put("client", client);
    now += 60_000;
    return engine.decide(EventParser.parse(body), now);
  }

  private static Map<String, Reason> byId(Decision d) {
    return d.reasons().stream().collect(Collectors.toMap(Reason::ruleId, r -> r, (a, b) -> a));
  }

  @Test
  void theWorkedExampleScores80AndIsAdmitted() {
    login(TestReference.BTCL_IP, "verified", Map.of("accept_language", "bn-BD,bn;q=0.9,en;q=0.8")); // history: seen before
    Decision d = login(TestReference.BTCL_IP, "verified", Map.of("accept_language", "bn-BD,bn;q=0.9,en;q=0.8"));
    Map<String, Reason> reasons = byId(d);
    assertThat(reasons.get("scorecard.bd_whitelist").values()).containsEntry("score", 80L);
    assertThat(reasons.get("scorecard.bd_whitelist").action()).isNull();
    assertThat(reasons.get("scorecard.bd_whitelist.factor.ip_credibility").values()).containsEntry("points", 30.0);
    assertThat(reasons.get("scorecard.bd_whitelist.factor.sim_binding").values()).containsEntry("points", 15.0);
    assertThat(reasons.get("scorecard.bd_whitelist.factor.history").values()).containsEntry("points", 10.0);
    assertThat(reasons.get("scorecard.bd_whitelist.factor.documents").values()).containsEntry("points", 15.0);
    assertThat(reasons.get("scorecard.bd_whitelist.factor.device").values()).containsEntry("points", 10.0);
    assertThat(d.action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void aBorderlineScoreGoesToReview() {
    login(TestReference.BTCL_IP, "provided", Map.of());
    Decision d = login(TestReference.BTCL_IP, "provided", Map.of());
    // Documents only provided: 7.5 of 15, so 72.5 rounds to 73, between review_at 60 and admit_at 80.
    assertThat(byId(d).get("scorecard.bd_whitelist").values()).containsEntry("score", 73L);
    assertThat(d.action()).isEqualTo(Action.REVIEW);
  }

  @Test
  void thePreFilterRejectsOutsidersInOrderBeforeScoring() {
    Decision foreign = login(TestReference.GOOGLE_DNS, "verified", Map.of("accept_language", "ru-RU"));
    assertThat(foreign.action()).isEqualTo(Action.DENY);
    assertThat(byId(foreign)).containsKey("scorecard.bd_whitelist.prefilter.ip_country")
        .doesNotContainKeys("scorecard.bd_whitelist.prefilter.headers", "scorecard.bd_whitelist.factor.ip_credibility");
    Decision headers = login(TestReference.BTCL_IP, "verified", Map.of("accept_language", "ru-RU,ru;q=0.9"));
    assertThat(headers.action()).isEqualTo(Action.DENY);
    assertThat(byId(headers)).containsKey("scorecard.bd_whitelist.prefilter.headers");
    Decision cookie = login(TestReference.BTCL_IP, "verified", Map.of("geo_cookie_country", "IN"));
    assertThat(byId(cookie)).containsKey("scorecard.bd_whitelist.prefilter.geo_cookie");
  }

  @Test
  void otherChannelsAreNotScored() {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", "x1", "type", "login", "account_id", "acct_2",
        "occurred_at", Instant.ofEpochMilli(now).toString(), "ip", TestReference.GOOGLE_DNS));
    Decision d = engine.decide(EventParser.parse(body), now);
    assertThat(d.reasons()).noneMatch(r -> r.ruleId().startsWith("scorecard."));
  }

  @Test
  void badScorecardsAreRefusedAtCompile() {
    ScorecardDefinition good = DefaultPolicyPack.bangladeshWhitelist();
    ScorecardDefinition weights = new ScorecardDefinition("w", null, true, good.eventTypes(), good.when(), good.prefilter(),
        List.of(new ScorecardDefinition.Factor("only", 90, "1.0")), 80, 60);
    assertThatThrownBy(() -> CompiledScorecard.compile(weights, engine.compiler()))
        .isInstanceOf(RuleCompileException.class).hasMessageContaining("sum to 100");
    ScorecardDefinition notNumber = new ScorecardDefinition("n", null, true, good.eventTypes(), good.when(), List.of(),
        List.of(new ScorecardDefinition.Factor("flag", 100, "ip.proxy")), 80, 60);
    assertThatThrownBy(() -> CompiledScorecard.compile(notNumber, engine.compiler())).isInstanceOf(RuleCompileException.class);
  }
}
