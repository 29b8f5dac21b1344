package io.vigil.server.policy;

import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.policy.ChallengePolicy;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.ScorecardDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The active policy and its changes. Every change compiles the whole new document first (a rule
 * that does not type-check is refused and nothing is stored), then stores it as a new immutable
 * version, then installs it for the next decision.
 */
public final class PolicyService {
  private final PolicyRepository repository;
  private final RuleCompiler compiler;
  private final Clock clock;
  private Consumer<CompiledPolicy> installer = p -> {};
  private volatile CompiledPolicy active;

  public PolicyService(PolicyRepository repository, RuleCompiler compiler, Clock clock) {
    this.clock = clock;
    this.repository = repository;
    this.compiler = compiler;
    Optional<PolicyRepository.Version> latest = repository.latest();
    if (latest.isPresent()) {
      active = CompiledPolicy.compile(PolicyJson.parseDocument(latest.get().document()), compiler);
    } else {
      PolicyDocument seed = DefaultPolicyPack.document();
      active = CompiledPolicy.compile(seed, compiler);
      repository.insert(new PolicyRepository.Version(seed.version(), clock.millis(), "seed",
          "default policy pack", Json.write(PolicyJson.document(seed))));
    }
  }

  /** Where new versions go once stored (the decision pipeline). */
  public void onInstall(Consumer<CompiledPolicy> installer) {
    this.installer = installer;
  }

  /** The compiler every policy change goes through (drafts are checked with it too). */
  public RuleCompiler compiler() {
    return compiler;
  }

  public CompiledPolicy active() {
    return active;
  }

  public PolicyDocument document() {
    return active.document();
  }

  public Optional<RuleDefinition> rule(String id) {
    return document().rules().stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public synchronized PolicyDocument createRule(RuleDefinition rule, String actor) {
    if (rule(rule.id()).isPresent()) {
      throw ApiException.conflict("invalid_request_error", "rule_exists", "A rule with this id exists; update it with PUT", "id");
    }
    List<RuleDefinition> rules = new ArrayList<>(document().rules());
    rules.add(rule);
    return change(d -> d.withRules(d.version() + 1, rules), actor, "create rule " + rule.id());
  }

  public synchronized PolicyDocument updateRule(RuleDefinition rule, String actor, String summary) {
    requireRule(rule.id());
    List<RuleDefinition> rules = new ArrayList<>();
    for (RuleDefinition r : document().rules()) rules.add(r.id().equals(rule.id()) ? rule : r);
    return change(d -> d.withRules(d.version() + 1, rules), actor, summary);
  }

  public synchronized PolicyDocument setEnabled(String id, boolean enabled, String actor) {
    RuleDefinition rule = requireRule(id);
    return updateRule(rule.withEnabled(enabled), actor, (enabled ? "enable rule " : "disable rule ") + id);
  }

  public synchronized PolicyDocument setThresholds(PolicyMaps.ThresholdSet set, String actor) {
    return change(d -> d.withThresholds(d.version() + 1, set.defaults(), set.byType()), actor, "change thresholds");
  }

  public synchronized PolicyDocument setLimits(List<LimitDefinition> limits, String actor) {
    return replaceLimits(limits, actor, "change limits");
  }

  public Optional<LimitDefinition> limit(String id) {
    return document().limits().stream().filter(l -> l.id().equals(id)).findFirst();
  }

  /** Adds one limit, keeping the others. */
  public synchronized PolicyDocument createLimit(LimitDefinition limit, String actor) {
    if (limit(limit.id()).isPresent()) {
      throw ApiException.conflict("invalid_request_error", "limit_exists", "A limit with this id exists; update it with PUT", "limit.id");
    }
    if (document().limits().size() >= LimitDefinition.PER_POLICY_MAX) {
      throw ApiException.invalid("invalid_limits", "The policy holds at most " + LimitDefinition.PER_POLICY_MAX
          + " limits; delete one first", "limit");
    }
    List<LimitDefinition> limits = new ArrayList<>(document().limits());
    limits.add(limit);
    return replaceLimits(limits, actor, "create limit " + limit.id());
  }

  /** Replaces one limit in place, keeping the others. */
  public synchronized PolicyDocument updateLimit(LimitDefinition limit, String actor) {
    requireLimit(limit.id());
    List<LimitDefinition> limits = new ArrayList<>();
    for (LimitDefinition l : document().limits()) limits.add(l.id().equals(limit.id()) ? limit : l);
    return replaceLimits(limits, actor, "update limit " + limit.id());
  }

  /** Removes one limit, keeping the others. */
  public synchronized PolicyDocument deleteLimit(String id, String actor) {
    requireLimit(id);
    List<LimitDefinition> limits = document().limits().stream().filter(l -> !l.id().equals(id)).toList();
    return replaceLimits(limits, actor, "delete limit " + id);
  }

  /** The limit with this id, or a 404 {@code limit_not_found}. */
  LimitDefinition requireLimit(String id) {
    return limit(id).orElseThrow(() -> ApiException.notFound("limit_not_found", "No limit with this id", "id"));
  }

  private PolicyDocument replaceLimits(List<LimitDefinition> limits, String actor, String summary) {
    return change(d -> d.withLimits(d.version() + 1, limits), actor, summary);
  }

  public synchronized PolicyDocument setWeights(double rulesWeight, double modelWeight, String actor) {
    return change(d -> d.withWeights(d.version() + 1, rulesWeight, modelWeight), actor, "change weights");
  }

  public synchronized PolicyDocument setChallenges(ChallengePolicy challenges, String actor) {
    return change(d -> d.withChallenges(d.version() + 1, challenges), actor, "change challenge policy");
  }

  public synchronized PolicyDocument setHolds(List<HoldPolicy> holds, String actor) {
    return change(d -> d.withHolds(d.version() + 1, holds), actor, "change holds");
  }

  public Optional<ScorecardDefinition> scorecard(String id) {
    return document().scorecards().stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Creates or replaces a scorecard. */
  public synchronized PolicyDocument putScorecard(ScorecardDefinition card, String actor) {
    List<ScorecardDefinition> cards = new ArrayList<>();
    boolean replaced = false;
    for (ScorecardDefinition s : document().scorecards()) {
      replaced |= s.id().equals(card.id());
      cards.add(s.id().equals(card.id()) ? card : s);
    }
    if (!replaced) cards.add(card);
    return change(d -> d.withScorecards(d.version() + 1, cards), actor, (replaced ? "update scorecard " : "create scorecard ") + card.id());
  }

  public synchronized PolicyDocument setScorecardEnabled(String id, boolean enabled, String actor) {
    ScorecardDefinition card = scorecard(id)
        .orElseThrow(() -> ApiException.notFound("scorecard_not_found", "No scorecard with this id", "id"));
    return putScorecard(card.withEnabled(enabled), actor);
  }

  /**
   * Makes a released candidate the live policy as version {@code baseVersion + 1}, stored and
   * installed in one step, if the live version is still {@code baseVersion}; otherwise refuses with
   * {@code 409 change_conflict} and changes nothing (gray release promotion).
   */
  public synchronized PolicyDocument promote(PolicyDocument candidate, long baseVersion, String actor, String summary) {
    if (document().version() != baseVersion) {
      throw ApiException.conflict("invalid_request_error", "change_conflict", "The live policy moved on to version "
          + document().version() + " since the release was built on version " + baseVersion + "; stop it and release again", null);
    }
    return change(d -> candidate.withRules(baseVersion + 1, candidate.rules()), actor, summary);
  }

  public List<PolicyRepository.Version> history(Long beforeVersion, int rows) {
    return repository.history(beforeVersion, rows);
  }

  public Optional<PolicyRepository.Version> version(long version) {
    return repository.find(version);
  }

  private RuleDefinition requireRule(String id) {
    return rule(id).orElseThrow(() -> ApiException.notFound("rule_not_found", "No rule with this id", "id"));
  }

  private PolicyDocument change(UnaryOperator<PolicyDocument> edit, String actor, String summary) {
    PolicyDocument next = edit.apply(document());
    CompiledPolicy compiled = CompiledPolicy.compile(next, compiler);
    repository.insert(new PolicyRepository.Version(next.version(), clock.millis(), actor, summary,
        Json.write(PolicyJson.document(next))));
    active = compiled;
    installer.accept(compiled);
    return next;
  }
}
