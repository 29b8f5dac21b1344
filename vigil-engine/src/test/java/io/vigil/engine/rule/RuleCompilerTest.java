package io.vigil.engine.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.engine.Engine;
import io.vigil.engine.Limits;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.policy.Thresholds;
import io.vigil.engine.rule.RuleEffect.ForcedAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  static final long NOON = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
  static final Thresholds THRESHOLDS = new Thresholds(40, 60, 80, 30, 60, 80, "sms_otp");

  final RuleCompiler compiler = new RuleCompiler(new FeatureCatalog(FeatureConfig.defaults()));

  static RuleDefinition rule(String id, String expression) {
    return new RuleDefinition(id, "a test rule", Set.of(), expression, RuleEffect.points(10), "test reason", true);
  }

  static RuleDefinition rule(String id, String expression, RuleEffect effect, String reason) {
    return new RuleDefinition(id, "a test rule", Set.of(), expression, effect, reason, true);
  }

  RuleCompileException refused(RuleDefinition rule, String param) {
    RuleCompileException e = catchThrowableOfType(() -> compiler.compile(rule), RuleCompileException.class);
    assertThat(e).as("rule %s must be refused", rule.expression()).isNotNull();
    assertThat(e.param()).as(e.getMessage()).isEqualTo(param);
    assertThat(e.issues()).isNotEmpty();
    assertThat(e.issues().get(0).message()).isNotBlank();
    return e;
  }

  /** An expression error: positioned, with CEL's cause in the message. */
  RuleCompileException.Issue positioned(String expression, int line, String causeFragment) {
    RuleCompileException e = refused(rule("r1", expression), "expression");
    assertThat(e.ruleId()).isEqualTo("r1");
    RuleCompileException.Issue issue = e.issues().get(0);
    assertThat(issue.line()).as(issue.toString()).isEqualTo(line);
    assertThat(issue.column()).as(issue.toString()).isPositive();
    assertThat(issue.message()).contains(causeFragment);
    // The message quotes the position, never the rule's id: the API answers with it.
    assertThat(e.getMessage()).doesNotContain("r1").contains("line " + line + ", column " + issue.column());
    return issue;
  }

  // ---- expressions that do not compile --------------------------------------------------------

  @Test
  void aTypeErrorIsRefusedWithItsPosition() {
    RuleCompileException.Issue issue = positioned("velocity.ip.count_1h > \"five\"", 1, "no matching overload");
    assertThat(issue.column()).isEqualTo(22); // the '>' (1-based)
    positioned("event.amount + event.currency == 3", 1, "no matching overload");
    positioned("event.attributes == 5", 1, "no matching overload");
  }

  @Test
  void anUndeclaredNameIsRefusedWithItsPosition() {
    RuleCompileException.Issue issue = positioned("event.amount > 0 &&\n  velocity.ip.cont_1h > 5", 2, "undeclared reference");
    assertThat(issue.column()).isEqualTo(3);
    positioned("velocity.ip.count_2h > 5", 1, "undeclared reference"); // a window that is not configured
    positioned("event.amount_usd > 5", 1, "undeclared reference");
    positioned("lists.black.ip", 1, "undeclared reference");
  }

  @Test
  void aResultThatIsNotABooleanIsRefused() {
    positioned("velocity.ip.count_1h + 1", 1, "expected type 'bool'");
    positioned("event.currency", 1, "expected type 'bool'");
    positioned("event.attributes", 1, "expected type 'bool'");
  }

  @Test
  void aSyntaxErrorIsRefusedWithItsPosition() {
    positioned("velocity.ip.count_1h >", 1, "mismatched input");
    positioned("event.amount > 5 &&\nevent.amount < 10 ||\n(event.amount == 3", 3, "");
    positioned("event.amount >>> 5", 1, "");
  }

  @Test
  void deeplyNestedExpressionsAreRefusedNotAStackOverflow() {
    refused(rule("r1", "(".repeat(1_000) + "true" + ")".repeat(1_000)), "expression");
    // A run of '!' is one unary node in CEL's grammar: no recursion, so it compiles.
    assertThat(compiler.compile(rule("r1", "!".repeat(2_000) + "true")).definition().id()).isEqualTo("r1");
    refused(rule("r1", "[".repeat(1_000) + "]".repeat(1_000) + " == []"), "expression");
  }

  @Test
  void theExpressionLengthIsCapped() {
    String base = "event.amount > 0";
    String atLimit = base + " ".repeat(Limits.RULE_EXPRESSION_CHARS_MAX - base.length());
    assertThat(compiler.compile(rule("r1", atLimit)).definition().expression()).hasSize(Limits.RULE_EXPRESSION_CHARS_MAX);
    RuleCompileException e = refused(rule("r1", atLimit + " "), "expression");
    assertThat(e.issues().get(0).message()).contains(Integer.toString(Limits.RULE_EXPRESSION_CHARS_MAX));
    refused(rule("r1", ""), "expression");
    refused(rule("r1", "   "), "expression");
    refused(rule("r1", null), "expression");
  }

  // ---- the rest of a rule ------------------------------------------------------------------------

  @Test
  void theReasonMayNameOnlyDeclaredVariables() {
    RuleCompileException e = refused(rule("r1", "event.amount > 0", RuleEffect.points(5), "{velocity.ip.cont_1h} events"), "reason");
    assertThat(e.getMessage()).contains("velocity.ip.cont_1h");
    refused(rule("r1", "event.amount > 0", RuleEffect.points(5), "{event.nope}"), "reason");
    refused(rule("r1", "event.amount > 0", RuleEffect.points(5), ""), "reason");
    refused(rule("r1", "event.amount > 0", RuleEffect.points(5), "x".repeat(Limits.RULE_TEXT_CHARS_MAX + 1)), "reason");
    refused(new RuleDefinition("r1", "d".repeat(Limits.RULE_TEXT_CHARS_MAX + 1), Set.of(), "true", RuleEffect.points(5), "r", true), "reason");
    // Text that only looks like a placeholder is kept as it is.
    CompiledRule ok = compiler.compile(rule("r1", "event.amount > 0", RuleEffect.points(5), "{Not a name} and {event.amount}"));
    assertThat(ok.referencedNames()).containsExactly("event.amount");
  }

  @Test
  void ruleIdsHaveOneShape() {
    for (String bad : new String[] {"Bad", "1abc", "_x", "with-dash", "with space", "", "a".repeat(65), "é"}) {
      refused(rule(bad, "true"), "id");
    }
    RuleCompileException e = refused(rule(null, "true"), "id");
    assertThat(e.ruleId()).isEqualTo("(no id)");
    assertThat(compiler.compile(rule("a".repeat(64), "true")).definition().id()).hasSize(64);
    assertThat(compiler.compile(rule("a1_b2", "true")).definition().id()).isEqualTo("a1_b2");
  }

  @Test
  void pointsAreBetweenMinus100And100AndNotZero() {
    for (int bad : new int[] {0, 101, -101, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      refused(rule("r1", "true", RuleEffect.points(bad), "r"), "effect.points");
    }
    for (int ok : new int[] {1, -1, 100, -100}) {
      assertThat(compiler.compile(rule("r1", "true", RuleEffect.points(ok), "r")).definition().effect().points()).isEqualTo(ok);
    }
    refused(rule("r1", "true", null, "r"), "effect");
  }

  @Test
  void aChallengeNamesItsKind() {
    refused(rule("r1", "true", RuleEffect.force(ForcedAction.CHALLENGE, null), "r"), "effect.challenge");
    refused(rule("r1", "true", RuleEffect.force(ForcedAction.CHALLENGE, ""), "r"), "effect.challenge");
    refused(rule("r1", "true", RuleEffect.force(ForcedAction.CHALLENGE, "SMS OTP"), "r"), "effect.challenge");
    for (String kind : new String[] {"sms_otp", "password_and_otp", "3ds", "biometric", "captcha"}) {
      assertThat(compiler.compile(rule("r1", "true", RuleEffect.force(ForcedAction.CHALLENGE, kind), "r"))
          .definition().effect().challengeKind()).isEqualTo(kind);
    }
    refused(rule("r1", "true", RuleEffect.force(ForcedAction.CHALLENGE, "_otp"), "r"), "effect.challenge");
    // Other forced actions need no kind, and drop one given by mistake.
    assertThat(compiler.compile(rule("r1", "true", RuleEffect.force(ForcedAction.DENY, "sms_otp"), "r"))
        .definition().effect().challengeKind()).isNull();
  }

  // ---- evaluation, through the engine -------------------------------------------------------------

  static Engine engineWith(RuleDefinition... rules) {
    Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(new PolicyDocument(3, List.of(rules), THRESHOLDS, Map.of(), 1.0, 0.0, "UTC"),
        engine.compiler()));
    return engine;
  }

  static final java.util.concurrent.atomic.AtomicLong EVENT_IDS = new java.util.concurrent.atomic.AtomicLong();

  static Decision decide(Engine engine, Map<String, Object> attributes) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", "e" + EVENT_IDS.incrementAndGet());
    b.put("type", "payment");
    b.put("occurred_at", Instant.ofEpochMilli(NOON).toString());
    b.put("account_id", "acc1");
    b.put("amount", 1_000L);
    b.put("currency", "USD");
    if (attributes != null) b.put("attributes", attributes);
    return engine.decide(EventParser.parse(b), NOON);
  }

  static List<String> fired(Decision d) {
    return d.reasons().stream().map(Reason::ruleId).toList();
  }

  static String list(int n) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    for (int i = 1; i <= n; i++) j.add(Integer.toString(i));
    return j.toString();
  }

  @Test
  void smallComprehensionsWork() {
    Engine engine = engineWith(
        rule("all_positive", "[1, 2, 3].all(x, x > 0)"),
        rule("some_negative", "[1, 2, 3].exists(x, x < 0)"),
        rule("mapped", list(100) + ".map(x, x * 2).filter(x, x > 100).size() == 50"));
    Decision d = decide(engine, null);
    assertThat(d.ruleErrors()).isEmpty();
    assertThat(fired(d)).containsExactlyInAnyOrder("all_positive", "mapped");
    assertThat(d.score()).isEqualTo(20);
  }

  @Test
  void aComprehensionOverTheIterationCapFailsAtEvaluationWithoutHangingOrThrowing() {
    // 20^3 = 8,000 iterations nested, 20^6 = 64 million if it were not capped; a flat one just over the cap.
    String l = list(20);
    Engine engine = engineWith(
        rule("nested", l + ".all(a, " + l + ".all(b, " + l + ".all(c, a + b + c > 0)))"),
        rule("exponential", l + ".all(a, " + l + ".all(b, " + l + ".all(c, " + l + ".all(d, " + l + ".all(e, "
            + l + ".all(f, a + b + c + d + e + f > 0))))))"),
        rule("flat", list(Limits.RULE_COMPREHENSION_ITERATIONS_MAX + 1) + ".all(x, x > 0)"),
        rule("fine", "event.amount > 0"));
    Decision d = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> decide(engine, null));
    assertThat(d.ruleErrors()).extracting(Decision.RuleError::ruleId).containsExactlyInAnyOrder("nested", "exponential", "flat");
    assertThat(d.ruleErrors()).allSatisfy(err -> assertThat(err.message()).containsIgnoringCase("iteration"));
    // A failed rule does not fire; the others still do, and the decision is made.
    assertThat(fired(d)).containsExactly("fine");
    assertThat(d.score()).isEqualTo(10);
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    // Just under the cap is allowed.
    Engine under = engineWith(rule("flat", list(Limits.RULE_COMPREHENSION_ITERATIONS_MAX / 2) + ".all(x, x > 0)"));
    assertThat(decide(under, null).ruleErrors()).isEmpty();
  }

  @Test
  void aMissingAttributeKeyIsARuleErrorNotACrash() {
    Engine engine = engineWith(
        rule("foo_is_x", "event.attributes.foo == \"x\""),
        rule("has_foo", "has(event.attributes.foo)"),
        rule("guarded", "has(event.attributes.foo) && event.attributes.foo == \"x\""),
        rule("in_map", "\"foo\" in event.attributes && event.attributes[\"foo\"] == \"x\""),
        rule("score_high", "has(event.attributes.score) && event.attributes.score > 5"));

    Decision without = decide(engine, null);
    assertThat(without.ruleErrors()).extracting(Decision.RuleError::ruleId).containsExactly("foo_is_x");
    assertThat(without.ruleErrors().get(0).message()).contains("foo");
    assertThat(fired(without)).isEmpty();

    Decision with = decide(engine, Map.of("foo", "x", "score", 7L));
    assertThat(with.ruleErrors()).isEmpty();
    assertThat(fired(with)).containsExactlyInAnyOrder("foo_is_x", "has_foo", "guarded", "in_map", "score_high");

    Decision other = decide(engine, Map.of("foo", "y", "score", 3L));
    assertThat(other.ruleErrors()).isEmpty();
    assertThat(fired(other)).containsExactly("has_foo");

    // An attribute of the wrong type for the comparison is a rule error too.
    Decision wrongType = decide(engine, Map.of("score", "seven"));
    assertThat(wrongType.ruleErrors()).extracting(Decision.RuleError::ruleId).containsExactlyInAnyOrder("foo_is_x", "score_high");
  }

  @Test
  void aFiringRuleExplainsItselfWithTheValuesItRead() {
    Engine engine = engineWith(rule("big", "event.amount >= 1000 && event.currency == \"USD\"", RuleEffect.points(30),
        "{event.amount} {event.currency} on {event.account_id}"));
    Decision d = decide(engine, null);
    Reason r = d.reasons().get(0);
    assertThat(r.message()).isEqualTo("1000 USD on acc1");
    assertThat(r.points()).isEqualTo(30);
    assertThat(r.values()).containsEntry("event.amount", 1_000L).containsEntry("event.currency", "USD")
        .containsEntry("event.account_id", "acc1");
  }

  // ---- policies ----------------------------------------------------------------------------------

  @Test
  void aPolicyRefusesDuplicateIds() {
    PolicyDocument doc = new PolicyDocument(1, List.of(rule("same", "true"), rule("other", "true"), rule("same", "false")),
        THRESHOLDS, Map.of(), 1.0, 0.0, "UTC");
    RuleCompileException e = catchThrowableOfType(() -> CompiledPolicy.compile(doc, compiler), RuleCompileException.class);
    assertThat(e).isNotNull();
    assertThat(e.ruleId()).isEqualTo("same");
    assertThat(e.param()).isEqualTo("id");
    // Disabled or not, an id is an id.
    PolicyDocument disabled = new PolicyDocument(1, List.of(rule("same", "true"), rule("same", "true").withEnabled(false)),
        THRESHOLDS, Map.of(), 1.0, 0.0, "UTC");
    assertThatThrownBy(() -> CompiledPolicy.compile(disabled, compiler)).isInstanceOf(RuleCompileException.class);
  }

  @Test
  void aPolicyCompilesDisabledRulesButDoesNotRunThem() {
    PolicyDocument broken = new PolicyDocument(1, List.of(rule("broken", "nope > 1").withEnabled(false)),
        THRESHOLDS, Map.of(), 1.0, 0.0, "UTC");
    assertThatThrownBy(() -> CompiledPolicy.compile(broken, compiler)).isInstanceOf(RuleCompileException.class);

    RuleDefinition loginOnly = new RuleDefinition("login_only", null, Set.of(EventType.LOGIN), "true", RuleEffect.points(5), "r", true);
    CompiledPolicy p = CompiledPolicy.compile(new PolicyDocument(1,
        List.of(rule("off", "true").withEnabled(false), rule("on", "true"), loginOnly), THRESHOLDS, Map.of(), 1.0, 0.0, "UTC"), compiler);
    assertThat(p.rulesFor(EventType.PAYMENT)).extracting(r -> r.definition().id()).containsExactly("on");
    assertThat(p.rulesFor(EventType.LOGIN)).extracting(r -> r.definition().id()).containsExactly("on", "login_only");
  }

  @Test
  void aPolicyHoldsAtMost500Rules() {
    List<RuleDefinition> rules = new ArrayList<>();
    for (int i = 0; i <= Limits.RULES_PER_POLICY_MAX; i++) rules.add(rule("r" + i, "true"));
    RuleCompileException e = catchThrowableOfType(() -> CompiledPolicy.compile(
        new PolicyDocument(1, rules, THRESHOLDS, Map.of(), 1.0, 0.0, "UTC"), compiler), RuleCompileException.class);
    assertThat(e).isNotNull();
    assertThat(e.param()).isEqualTo("rules");
  }

  @Test
  void aPolicyNeedsARealDefaultTimezone() {
    assertThatThrownBy(() -> CompiledPolicy.compile(
        new PolicyDocument(1, List.of(), THRESHOLDS, Map.of(), 1.0, 0.0, "Mars/Base"), compiler))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
