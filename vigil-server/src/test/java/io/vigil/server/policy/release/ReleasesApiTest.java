package io.vigil.server.policy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.release.StableSplit;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.Json;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.notify.WebhookNotifier;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Gray releases and shadow policies on a real server of their own (they change the live policy):
 * each decision records its side and both versions in its response and the journal, the candidate
 * acts only on its side, a replay answers the same side, bad percentages are refused, promotion is
 * atomic and refused when live moved on, the running release is restored, the guard stops a
 * departing candidate.
 */
class ReleasesApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-releases-");
  /** Amount the candidate's rule denies: no other amount this test sends. */
  private static final long DENIED_AMOUNT = 4_242;
  /** Amount the promoted candidate denies, once live. */
  private static final long PROMOTED_AMOUNT = 4_343;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.releases.guard.enabled", () -> "false");
    registry.add("vigil.cases.enabled", () -> "false");
    registry.add("vigil.cases.sla.enabled", () -> "false");
    storeAsAsked(registry);
  }

  @Autowired ReleaseService releases;
  @Autowired PolicyService policies;
  @Autowired DecisionPipeline pipeline;
  @Autowired JournalRepository journal;
  @Autowired HikariDataSource dataSource;
  @Autowired EmailNotifier email;
  @Autowired WebhookNotifier webhooks;

  @AfterEach
  void stopRunning() {
    releases.running().ifPresent(r -> releases.stop(r.releaseId(), "test", "test cleanup"));
  }

  /** The live policy plus a rule denying payments of {@link #DENIED_AMOUNT}. */
  private PolicyDocument candidate() {
    return candidate("gray_deny_amount", DENIED_AMOUNT);
  }

  /** The live policy plus a rule denying payments of one amount. */
  private PolicyDocument candidate(String ruleId, long amount) {
    PolicyDocument live = policies.document();
    List<RuleDefinition> rules = new ArrayList<>(live.rules());
    rules.add(new RuleDefinition(ruleId, "deny one amount", Set.of(EventType.PAYMENT), "event.amount == " + amount,
        RuleEffect.force(RuleEffect.ForcedAction.DENY, null), "denied by the candidate", true));
    return live.withRules(live.version() + 1, rules);
  }

  private String startGray(int percent) {
    return releases.start(new ReleaseRequest("chg_test", candidate(), policies.active().version(), ReleaseMode.GRAY, percent, "approver-a"));
  }

  /** A decision; a 503 (a busy machine past the admission budget, nothing stored) is retried as the API asks, a few times. */
  private Map<String, Object> pay(String eventId, String account) {
    ApiClient.Reply r = api.post("/v1/decisions", Events.payment(eventId, account, DENIED_AMOUNT));
    for (int attempt = 0; attempt < 3 && r.status() == 503; attempt++) {
      r = api.post("/v1/decisions", Events.payment(eventId, account, DENIED_AMOUNT));
    }
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private TestOperators.Signed approver() {
    return TestOperators.signInSteppedUp(base, TestOperators.newUsername("rel"), Set.of(Role.SUPERVISOR));
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachDecisionRecordsItsSideAndTheCandidateActsOnlyOnItsSide() {
    long live = policies.active().version();
    String id = startGray(50);
    int candidateSide = 0;
    for (int i = 0; i < 40; i++) {
      String account = ApiTestSupport.id("acct_gray");
      Map<String, Object> d = pay(ApiTestSupport.id("evt_gray"), account);
      Map<String, Object> release = (Map<String, Object>) d.get("release");
      boolean onCandidate = StableSplit.candidate(account, 50);
      assertThat(release).containsEntry("id", id).containsEntry("side", onCandidate ? "candidate" : "live");
      assertThat(((Number) release.get("live_policy_version")).longValue()).isEqualTo(live);
      assertThat(((Number) release.get("candidate_policy_version")).longValue()).isEqualTo(live + 1);
      long acting = onCandidate ? live + 1 : live;
      assertThat(((Number) d.get("policy_version")).longValue()).isEqualTo(acting);
      assertThat(((Number) release.get("policy_version")).longValue()).isEqualTo(acting);
      Map<String, Object> other = (Map<String, Object>) release.get("other");
      if (onCandidate) {
        candidateSide++;
        assertThat(d.get("action")).isEqualTo("DENY");
        assertThat(other.get("action")).as("live, recorded only").isNotEqualTo("DENY");
      } else {
        assertThat(d.get("action")).as("the candidate never acts on the live side").isNotEqualTo("DENY");
        assertThat(other).containsEntry("action", "DENY");
        assertThat((List<String>) other.get("rules_fired")).contains("gray_deny_amount");
      }
      JournalRow row = journal.findByDecisionId((String) d.get("decision_id")).orElseThrow();
      assertThat(row.record().policyVersion()).as("the journal's chained record").isEqualTo(acting);
      assertThat(Json.readMap(row.record().responseJson()).get("release")).isEqualTo(release);
    }
    assertThat(candidateSide).isBetween(8, 32);

    Map<String, Object> detail = api.get("/v1/releases/" + id).json();
    Map<String, Object> comparison = (Map<String, Object>) detail.get("comparison");
    assertThat(comparison.get("decisions")).isEqualTo(40);
    assertThat(comparison.get("decisions_candidate_side")).isEqualTo(candidateSide);
    assertThat(comparison.get("action_changed")).isEqualTo(40);
    Map<String, Object> cand = (Map<String, Object>) comparison.get("candidate");
    assertThat(cand.get("intercepted")).isEqualTo(40);
    assertThat((Map<String, Object>) cand.get("fires")).containsEntry("gray_deny_amount", 40);
    assertThat((Map<String, Object>) ((Map<String, Object>) comparison.get("live")).get("fires")).doesNotContainKey("gray_deny_amount");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aReplayedRequestAnswersTheSameSideAfterThePercentageChanged() {
    String id = startGray(50);
    String account = null;
    for (int i = 0; account == null && i < 1000; i++) {
      String a = ApiTestSupport.id("acct_replay");
      if (!StableSplit.candidate(a, 50)) account = a;
    }
    Map<String, Object> body = Events.payment(ApiTestSupport.id("evt_replay"), account, DENIED_AMOUNT);
    ApiClient.Reply first = api.post("/v1/decisions", body);
    assertThat(((Map<String, Object>) first.json().get("release")).get("side")).isEqualTo("live");
    releases.percent(id, 100, "approver-a");
    ApiClient.Reply again = api.post("/v1/decisions", body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    Map<String, Object> fresh = pay(ApiTestSupport.id("evt_replay"), account);
    assertThat(((Map<String, Object>) fresh.get("release")).get("side")).as("at 100 %% every account").isEqualTo("candidate");
  }

  @Test
  void badPercentagesAndASecondReleaseAreRefused() {
    String id = startGray(10);
    TestOperators.Signed approver = approver();
    for (Object bad : List.of(101, -1, "ten", 10.5, 1_000_000_000_000L)) {
      TestOperators.Exchange r = TestOperators.post(base, "/v1/releases/" + id + "/percent", Map.of("percent", bad), approver.headers());
      assertThat(r.status()).as("%s: %s", bad, r.body()).isEqualTo(400);
      assertThat(r.body()).contains("invalid_percent");
    }
    TestOperators.Exchange missing = TestOperators.post(base, "/v1/releases/" + id + "/percent", Map.of(), approver.headers());
    assertThat(missing.body()).contains("missing_field");
    TestOperators.Exchange unknown = TestOperators.post(base, "/v1/releases/" + id + "/percent", Map.of("percent", 20, "x", 1),
        approver.headers());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(releases.require(id).percent()).as("nothing changed").isEqualTo(10);

    TestOperators.Exchange raised = TestOperators.post(base, "/v1/releases/" + id + "/percent", Map.of("percent", 25), approver.headers());
    assertThat(raised.status()).as(raised.body()).isEqualTo(200);
    assertThat(raised.json().get("percent")).isEqualTo(25);
    assertThat(pipeline.release().percent()).isEqualTo(25);

    assertThatThrownBy(() -> startGray(20)).isInstanceOf(ApiException.class).hasMessageContaining("is running");
    assertThatThrownBy(() -> releases.start(new ReleaseRequest("c", candidate(), policies.active().version(), ReleaseMode.GRAY, 101, "a")))
        .isInstanceOf(ApiException.class).hasMessageContaining("percent");

    TestOperators.Signed viewer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("relv"), Set.of(Role.VIEWER));
    assertThat(TestOperators.get(base, "/v1/releases/" + id, viewer.headers()).status()).isEqualTo(200);
    assertThat(TestOperators.post(base, "/v1/releases/" + id + "/stop", Map.of(), viewer.headers()).status()).isEqualTo(403);
    assertThat(TestOperators.get(base, "/v1/releases/rel_nosuch", viewer.headers()).status()).isEqualTo(404);
  }

  @Test
  void promotionMakesTheCandidateLiveAtomicallyAndIsRefusedWhenLiveMovedOn() {
    String stale = startGray(10);
    policies.setWeights(1.0, 0.0, "someone-else"); // live moves on under the release
    TestOperators.Signed approver = approver();
    TestOperators.Exchange refused = TestOperators.post(base, "/v1/releases/" + stale + "/promote", Map.of(), approver.headers());
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("change_conflict");
    assertThat(policies.rule("gray_deny_amount")).isEmpty();
    assertThat(releases.require(stale).status()).isEqualTo(ReleaseStatus.RUNNING);
    releases.stop(stale, "approver-a", "stale");

    long base0 = policies.active().version();
    String id = releases.start(new ReleaseRequest("chg_promote", candidate("gray_promoted", PROMOTED_AMOUNT), base0, ReleaseMode.GRAY, 10,
        "approver-a"));
    TestOperators.Exchange promoted = TestOperators.post(base, "/v1/releases/" + id + "/promote", Map.of(), approver.headers());
    assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
    assertThat(promoted.json().get("status")).isEqualTo("promoted");
    assertThat(policies.active().version()).isEqualTo(base0 + 1);
    assertThat(policies.document().rules()).extracting(RuleDefinition::id).contains("gray_promoted");
    assertThat(pipeline.release()).isNull();
    ApiClient.Reply reply = api.post("/v1/decisions", Events.payment(ApiTestSupport.id("evt_promoted"), ApiTestSupport.id("acct_promoted"),
        PROMOTED_AMOUNT));
    Map<String, Object> d = reply.json();
    assertThat(d).doesNotContainKey("release");
    assertThat(d.get("action")).isEqualTo("DENY");
    assertThat(((Number) d.get("policy_version")).longValue()).isEqualTo(base0 + 1);
    assertThat(TestOperators.post(base, "/v1/releases/" + id + "/promote", Map.of(), approver.headers()).body())
        .contains("release_not_running");
  }

  @Test
  void theRunningReleaseIsRestoredOnRestart() {
    String id = startGray(30);
    pipeline.install((io.vigil.engine.release.ReleaseSnapshot) null); // what a restart leaves: a pipeline without a release
    new ReleaseService(new ReleaseRepository(dataSource), policies, pipeline, journal, dataSource,
        new ReleaseNotifications(email, webhooks), TestClock.INSTANCE);
    assertThat(pipeline.release()).isNotNull();
    assertThat(pipeline.release().releaseId()).isEqualTo(id);
    assertThat(pipeline.release().percent()).isEqualTo(30);
    assertThat(pipeline.release().candidate().version()).isEqualTo(policies.active().version() + 1);
    assertThat(pay(ApiTestSupport.id("evt_restored"), ApiTestSupport.id("acct_restored"))).containsKey("release");
  }

  @Test
  void theGuardStopsACandidateThatDepartsFromLive() {
    String id = releases.start(new ReleaseRequest("chg_shadow", candidate(), policies.active().version(), ReleaseMode.SHADOW, 0, "a"));
    ReleaseGuard guard = new ReleaseGuard(releases, new ReleasesProperties.Guard(true, 1_000, 0.05, 0.05, 5));
    for (int i = 0; i < 4; i++) pay(ApiTestSupport.id("evt_guard"), ApiTestSupport.id("acct_guard"));
    assertThat(guard.check()).as("too few decisions to judge").isEmpty();
    for (int i = 0; i < 4; i++) {
      Map<String, Object> d = pay(ApiTestSupport.id("evt_guard"), ApiTestSupport.id("acct_guard"));
      assertThat(d.get("action")).as("a shadow never acts").isNotEqualTo("DENY");
    }
    TestClock.advance(java.time.Duration.ofSeconds(1));
    long before = TestClock.INSTANCE.millis();
    assertThat(guard.check()).hasValueSatisfying(why -> assertThat(why).contains("interception rate"));
    ReleaseRecord stopped = releases.require(id);
    assertThat(stopped.status()).isEqualTo(ReleaseStatus.STOPPED);
    assertThat(stopped.endedBy()).isEqualTo(ReleaseGuard.ACTOR);
    assertThat(stopped.endedAtMillis()).isBetween(before, TestClock.INSTANCE.millis());
    assertThat(releases.steps(id)).extracting(ReleaseRepository.Step::step).containsExactly("start", "guard_stop");
    assertThat(pipeline.release()).isNull();
    assertThat(pay(ApiTestSupport.id("evt_guard"), ApiTestSupport.id("acct_guard"))).doesNotContainKey("release");
  }

  @Test
  void theGuardLeavesACandidateAloneWithinTheMargin() {
    PolicyDocument same = policies.document().withRules(policies.document().version() + 1, policies.document().rules());
    releases.start(new ReleaseRequest("chg_same", same, policies.active().version(), ReleaseMode.GRAY, 50, "a"));
    ReleaseGuard guard = new ReleaseGuard(releases, new ReleasesProperties.Guard(true, 1_000, 0.05, 0.05, 3));
    for (int i = 0; i < 6; i++) pay(ApiTestSupport.id("evt_same"), ApiTestSupport.id("acct_same"));
    assertThat(guard.check()).isEmpty();
    assertThat(releases.running()).isPresent();
  }
}
