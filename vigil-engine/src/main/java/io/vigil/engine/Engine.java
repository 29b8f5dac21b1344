package io.vigil.engine;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.FeatureView;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.limit.LimitLedger;
import io.vigil.engine.limit.LimitPeriod;
import io.vigil.engine.limit.LimitUsage;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.model.Explanation;
import io.vigil.engine.model.Model;
import io.vigil.engine.model.ModelBlend;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelOutcome;
import io.vigil.engine.model.ModelReason;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.engine.model.ScoreCombination;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.money.Money;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.policy.RiskLevel;
import io.vigil.engine.policy.Thresholds;
import io.vigil.engine.release.Counterfactual;
import io.vigil.engine.release.ReleaseOutcome;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.engine.release.Released;
import io.vigil.engine.release.Side;
import io.vigil.engine.release.StableSplit;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.rule.Activation;
import io.vigil.engine.rule.CompiledRule;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.engine.scorecard.CompiledScorecard;
import io.vigil.engine.screening.Screener;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.signal.SignalState;
import io.vigil.engine.signal.Signals;
import io.vigil.engine.state.PartCipher;
import io.vigil.engine.state.PartSource;
import io.vigil.engine.state.StateBuffer;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decision engine: event in, decision out, as a function of (event, state as of the event,
 * policy version).
 *
 * <h2>Precedence</h2>
 * <ol>
 *   <li>An active <b>restriction</b> of the account that stops the event's type (a freeze, a
 *       holder's lock, no withdrawals …), or a freeze of the event's merchant (payments to it,
 *       its onboarding) → DENY, whatever the lists and rules say.</li>
 *   <li>An active <b>allow-list</b> entry matching any entity of the event → ALLOW.</li>
 *   <li>An active <b>block-list</b> entry → DENY.</li>
 *   <li>Otherwise the action is the most severe of: the actions forced by firing rules
 *       (DENY over REVIEW over CHALLENGE) and the action the score reaches under the event type's
 *       thresholds. A forced action is a floor: a score past the deny threshold still denies an
 *       event that a rule only wanted to challenge.</li>
 * </ol>
 * Enabled scorecards run after the rules; what they force joins the rules' forced actions.
 * A money movement that is not denied and whose amount, converted to the base currency at the
 * decision's exchange rates, exceeds a hold policy's threshold becomes HOLD, waiting for approvals
 * (the highest threshold exceeded applies).
 * The score is {@code round(rules_weight × rules_score + model_weight × model_score)}, where the
 * rules score is the sum of the points of firing rules clamped to 0–100, and the model score is 0
 * until a model is deployed. When a live model's score helps reach an action other than ALLOW,
 * the model gives a reason too ({@link ModelReason}), so no such decision lacks one a person can
 * read. The risk level comes from the score, raised to at least medium for a CHALLENGE, high for a
 * REVIEW and critical for a DENY.
 *
 * <h2>Threads</h2>
 * {@link #decide} and {@link #replay} change state and must be called from one thread at a time
 * (the server's sequencer). {@link #install} and the list index may be changed from any thread.
 */
public final class Engine {
  private volatile Screener screener = Screener.NONE;
  /** The rule id of a merchant restriction's reason is this prefix and the kind: {@code restriction.merchant_freeze}. */
  private static final String MERCHANT_RESTRICTION_PREFIX = "restriction.merchant_";
  private static final ListEntity[] LIST_ENTITIES = ListEntity.values();
  /** Parsed time zones; bounded by the IANA database (about 600 ids), which the parser enforces. */
  private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
  private final FeatureStore features;
  private final FeatureCatalog catalog;
  private final RuleCompiler compiler;
  private final ListIndex lists;
  private final SignalState signals;
  private final RestrictionIndex restrictions;
  private final LimitLedger ledger = new LimitLedger();
  private LabelStore labels;
  private ModelFeatures modelFeatures;
  private volatile ModelRegistry models = new ModelRegistry();
  private volatile CompiledPolicy policy;
  private volatile ReferenceData reference;
  private long clockMillis = Long.MIN_VALUE;

  public Engine(FeatureConfig featureConfig, ListIndex lists) {
    this(featureConfig, SignalConfig.defaults(), lists, ReferenceDataLoader.builtIn());
  }

  public Engine(FeatureConfig featureConfig, SignalConfig signalConfig, ListIndex lists, ReferenceData reference) {
    this(featureConfig, signalConfig, lists, reference, new RestrictionIndex());
  }

  public Engine(FeatureConfig featureConfig, SignalConfig signalConfig, ListIndex lists, ReferenceData reference,
      RestrictionIndex restrictions) {
    this(new FeatureStore(featureConfig), signalConfig, lists, reference, restrictions);
  }

  /**
   * An engine over this feature store (a disk-backed one: {@link FeatureStore#onDisk}, or one
   * opened from a checkpoint). The engine does not close it; its owner does.
   */
  public Engine(FeatureStore features, SignalConfig signalConfig, ListIndex lists, ReferenceData reference,
      RestrictionIndex restrictions) {
    FeatureConfig featureConfig = features.config();
    this.restrictions = restrictions;
    this.features = features;
    this.catalog = new FeatureCatalog(featureConfig);
    this.compiler = new RuleCompiler(catalog);
    this.lists = lists;
    this.signals = new SignalState(signalConfig);
    this.reference = reference;
    this.labels = new LabelStore(LABEL_RETENTION_MILLIS, LABELS_MAX);
    this.modelFeatures = new ModelFeatures(features, labels, LABEL_LAG_MILLIS, ZoneOffset.UTC);
  }

  /** Labels are kept this long after their event: the longest label window (30 d) plus the lag, with room. */
  public static final long LABEL_RETENTION_MILLIS = 60L * 86_400_000L;
  /** Labels held in memory at most. */
  static final int LABELS_MAX = 10_000_000;
  /** The usual delay before a fraud label arrives: the merchant fraud-ratio windows end this far back. */
  public static final long LABEL_LAG_MILLIS = 7L * 86_400_000L;

  /** The outcomes fed back (P3), point in time: features see a label only from its known time on. */
  public LabelStore labels() {
    return labels;
  }

  /**
   * Uses this label store, with this label lag for the merchant fraud-ratio windows, instead of the
   * defaults (60 days of labels, a 7-day lag). A replay sets its own, with its own label delay.
   * Call before the first decision, from the deciding thread.
   */
  public void install(LabelStore store, long labelLagMillis) {
    this.labels = Objects.requireNonNull(store);
    this.modelFeatures = new ModelFeatures(features, store, labelLagMillis, ZoneOffset.UTC);
  }

  /**
   * Uses this live/shadow model pair for every following decision. The server keeps one registry
   * across state rebuilds, so an engine rebuilt from the journal scores with the same models.
   */
  public void install(ModelRegistry registry) {
    this.models = Objects.requireNonNull(registry);
  }

  /** Installs who screens parties against sanctions lists and blocked countries (default: nobody). */
  public void install(Screener by) {
    this.screener = Objects.requireNonNull(by);
  }

  public ModelRegistry models() {
    return models;
  }

  public SignalState signals() {
    return signals;
  }

  /** The restrictions in force, which firing rules add to (through the pipeline) and decisions honour. */
  public RestrictionIndex restrictions() {
    return restrictions;
  }

  /** The limit reservations; like the feature state, for the sequencer thread only. */
  public LimitLedger ledger() {
    return ledger;
  }

  /** Makes a reference-data set the one every following decision uses. */
  public void install(ReferenceData data) {
    this.reference = Objects.requireNonNull(data);
  }

  public ReferenceData reference() {
    return reference;
  }

  public RuleCompiler compiler() {
    return compiler;
  }

  public FeatureCatalog catalog() {
    return catalog;
  }

  public FeatureStore features() {
    return features;
  }

  public ListIndex lists() {
    return lists;
  }

  /** Makes a compiled policy the one every following decision uses. */
  public void install(CompiledPolicy compiled) {
    this.policy = compiled;
  }

  public CompiledPolicy policy() {
    return policy;
  }

  /** Advances the engine clock (never backwards) and returns it. */
  public long tick(long wallClockMillis) {
    if (wallClockMillis > clockMillis) clockMillis = wallClockMillis;
    return clockMillis;
  }

  /**
   * Refuses events too far in the past to be counted exactly, or too far in the future to be
   * true. Call before {@link #decide}; nothing changes when it throws.
   */
  public void checkTime(Event event, long clock) {
    long t = event.occurredAtMillis();
    if (t > clock + Limits.FUTURE_SKEW_MILLIS_MAX) {
      throw new ValidationException("occurred_at_in_future", "occurred_at",
          "occurred_at is more than 5 minutes ahead of the server clock");
    }
    if (t < clock - features.config().latenessMillis()) {
      throw new ValidationException("occurred_at_too_old", "occurred_at",
          "occurred_at is older than the accepted lateness of " + features.config().latenessMillis() / 60_000 + " minutes");
    }
  }

  /** Decides one event and records it in the feature state. */
  public Decision decide(Event event, long wallClockMillis) {
    CompiledPolicy p = policy;
    if (p == null) throw new IllegalStateException("no policy installed");
    return decide(event, wallClockMillis, p, null, null);
  }

  /**
   * Decides one event while a release runs (null: none runs). The live policy is read once and
   * the snapshot is the caller's one read, so the decision sees one live and one candidate version.
   * The policy of the event's side acts; the other runs on the same state and is recorded
   * ({@link Counterfactual}), never acted on.
   */
  public Released decide(Event event, long wallClockMillis, ReleaseSnapshot release) {
    CompiledPolicy live = policy;
    if (live == null) throw new IllegalStateException("no policy installed");
    if (release == null) return new Released(decide(event, wallClockMillis, live, null, null), null);
    Side side = release.sideOf(event.accountId());
    CompiledPolicy candidate = release.candidate();
    Counterfactual[] other = new Counterfactual[1];
    Decision d = side == Side.CANDIDATE
        ? decide(event, wallClockMillis, candidate, live, other)
        : decide(event, wallClockMillis, live, candidate, other);
    return new Released(d, new ReleaseOutcome(release.releaseId(), side, live.version(), candidate.version(), other[0]));
  }

  /** {@code other}, when not null, runs beside {@code p} and its outcome goes to {@code otherOut[0]}. */
  private Decision decide(Event event, long wallClockMillis, CompiledPolicy p, CompiledPolicy other, Counterfactual[] otherOut) {
    long clock = tick(wallClockMillis);
    checkTime(event, clock);
    ReferenceData ref = reference; // one set from start to end: the one the decision records
    Signals eventSignals = signals.observe(event, ref, accountId -> onList(ListKind.BLOCK, accountId, clock),
        accountId -> onList(ListKind.CONFIRMED_FRAUD, accountId, clock)).screenedBy(screener);
    // The signal state and the windows are independent; the amount is converted once, for both.
    FeatureView view = features.apply(event, clock, ref.rates(), eventSignals.amountBaseMinor());
    ZoneId zone = event.timezone() != null ? zones.computeIfAbsent(event.timezone(), ZoneId::of) : p.defaultZone();
    Activation activation = new Activation(event, view, catalog, lists, clock, zone, eventSignals);

    Tally tally = new Tally();
    tally.clockMillis = clock;
    tally.runRules(p.rulesFor(event.type()), activation);
    tally.runScorecards(p.scorecards(), activation, event);
    List<Reason> reasons = tally.reasons;
    String challengeKind = tally.challengeKind;

    int rulesScore = Math.max(0, Math.min(100, tally.points));
    ModelOutcome model = explained(scoreWithModels(event, eventSignals, rulesScore));
    ScoreCombination combination = model == null || model.scoredBy() == null ? null : combinationOf(model.scoredBy());
    int score;
    if (combination != null) {
      double combined = combination.probability(model.probability(), rulesScore, tally.forced != Action.ALLOW);
      model = model.withCombinedProbability(combined);
      score = ScoreCombination.score(combined);
    } else {
      score = ModelBlend.score(rulesScore, model == null ? Double.NaN : model.probability(),
          p.document().rulesWeight(), p.document().modelWeight());
    }
    if (other != null) {
      otherOut[0] = counterfactual(other, event, activation, eventSignals, model, combination, clock);
    }
    Thresholds thresholds = p.document().thresholdsFor(event.type());
    Action scoreAction = thresholds.action(score);
    Action action = overrides(scoreAction.atLeast(tally.forced), event, activation, reasons, clock);
    if (action != Action.ALLOW && scoreAction != Action.ALLOW && model != null && model.scored()
        && (combination != null ? combination.modelLogit() != 0 : p.document().modelWeight() > 0)) {
      reasons.add(ModelReason.of(model));
    }
    List<LimitUsage> limits = List.of();
    if (LimitLedger.reserves(event, action)) {
      limits = ledger.check(event, limitsFor(p, event.accountId(), clock), zone);
      LimitUsage breach = null;
      for (int i = limits.size() - 1; i >= 0; i--) {
        LimitUsage u = limits.get(i);
        if (!u.breached()) continue;
        reasons.add(0, limitReason(u, event));
        if (breach == null || u.limit().breachAction().compareTo(breach.limit().breachAction()) >= 0) breach = u;
      }
      if (breach != null && breach.limit().breachAction() == Action.DENY) {
        action = Action.DENY;
      } else if (breach != null && action.compareTo(Action.CHALLENGE) <= 0) {
        // Raising the assurance level is the way past this limit: the limit's step-up wins.
        action = Action.CHALLENGE;
        challengeKind = breach.limit().challengeKind();
      }
    }
    long amountBaseMinor = eventSignals.amountBaseMinor();
    HoldPolicy holdPolicy = action == Action.DENY || !event.type().movesMoney() || amountBaseMinor == ExchangeRates.UNKNOWN
        ? null : p.document().holdFor(eventSignals.amountBaseMajor());
    Decision.Hold hold = null;
    if (holdPolicy != null) {
      hold = new Decision.Hold(holdPolicy, clock + holdPolicy.deadlineMillis());
      action = Action.HOLD;
      reasons.add(0, holdReason(holdPolicy, event, eventSignals, hold.deadlineMillis()));
    }
    if (action == Action.CHALLENGE && challengeKind == null) challengeKind = thresholds.challengeKind();
    // A held amount that a rule wanted stepped up keeps its challenge: the approvals come on top.
    if (action != Action.CHALLENGE && action != Action.HOLD) challengeKind = null;
    RiskLevel level = thresholds.level(score).atLeast(floorLevel(action));
    if (LimitLedger.reserves(event, action)) {
      ledger.reserve(event);
      List<LimitUsage> counted = new ArrayList<>(limits.size());
      for (LimitUsage u : limits) counted.add(u.counting(event.amountMinor()));
      limits = counted;
    }
    return new Decision(action, score, rulesScore, level, List.copyOf(reasons), challengeKind, p.version(),
        eventSignals.referenceVersion(), List.copyOf(tally.errors), hold, List.copyOf(limits),
        restrictionsAskedFor(tally, event.accountId(), clock), model);
  }

  /**
   * What {@code other} would decide on the same activation and model score: its rules and
   * scorecards, its blend and thresholds, the lists and restrictions, and its hold policies. It
   * changes no state (no limit reservation, no restriction), and builds no reason messages.
   */
  private Counterfactual counterfactual(CompiledPolicy other, Event event, Activation activation, Signals eventSignals,
      ModelOutcome model, ScoreCombination combination, long clock) {
    Tally t = new Tally();
    t.clockMillis = clock;
    t.explain = false;
    t.runRules(other.rulesFor(event.type()), activation);
    t.runScorecards(other.scorecards(), activation, event);
    int rulesScore = Math.max(0, Math.min(100, t.points));
    int score;
    if (combination != null) {
      score = ScoreCombination.score(combination.probability(model.probability(), rulesScore, t.forced != Action.ALLOW));
    } else {
      score = ModelBlend.score(rulesScore, model == null ? Double.NaN : model.probability(),
          other.document().rulesWeight(), other.document().modelWeight());
    }
    Action action = overrides(other.document().thresholdsFor(event.type()).action(score).atLeast(t.forced), event, activation,
        new ArrayList<>(1), clock);
    if (action != Action.DENY && event.type().movesMoney() && eventSignals.amountBaseMinor() != ExchangeRates.UNKNOWN
        && other.document().holdFor(eventSignals.amountBaseMajor()) != null) {
      action = Action.HOLD;
    }
    List<String> fired = new ArrayList<>(t.reasons.size());
    for (Reason r : t.reasons) fired.add(r.ruleId());
    return new Counterfactual(other.version(), action, score, List.copyOf(fired));
  }

  /** The live model and its learned combination, parsed once per model (null: the policy's blend applies). */
  private record CombinationOf(Model model, ScoreCombination combination) {}

  private volatile CombinationOf combinationCache;

  /** The score combination the live model's artifact carries, or null for the policy's fixed blend. */
  private ScoreCombination combinationOf(Model live) {
    CombinationOf c = combinationCache;
    if (c == null || c.model() != live) {
      c = new CombinationOf(live, ScoreCombination.fromParams(live.metadata().params()));
      combinationCache = c;
    }
    return c.combination();
  }

  /**
   * The feature vector of a money movement, scored by the live and the shadow model when there
   * are any; null for other events. The vector is computed even without a model, so that the first
   * model can be trained on what the engine saw.
   */
  private ModelOutcome scoreWithModels(Event event, Signals eventSignals, int rulesScore) {
    if (!event.type().movesMoney()) return null;
    double[] vector = new double[ModelFeatures.SCHEMA.size()];
    modelFeatures.compute(event, eventSignals, rulesScore, vector);
    // Scored as stored: the decision_features table keeps 32-bit floats.
    for (int i = 0; i < vector.length; i++) vector[i] = (float) vector[i];
    ModelRegistry registry = models;
    Model live = registry.champion();
    Model shadow = registry.challenger();
    int split = registry.challengerPercent();
    if (shadow != null && split > 0 && StableSplit.candidate(event.accountId(), split)) {
      // The challenger's share of accounts: it scores and acts, the champion is recorded beside it.
      Model acting = shadow;
      shadow = live;
      live = acting;
    }
    double p = live == null ? Double.NaN : live.probability(vector);
    double q = shadow == null ? Double.NaN : shadow.probability(vector);
    return new ModelOutcome(ModelFeatures.SCHEMA, vector,
        live == null ? null : live.metadata().modelId(), p, live == null ? 0 : (int) Math.round(100 * p), List.of(),
        shadow == null ? null : shadow.metadata().modelId(), q, live, Double.NaN);
  }

  /**
   * The live model's top contributions, for every decision it scored: path contributions
   * ({@link Model#explainFast}), one walk per tree, so the sequencer never spends tree SHAP's
   * millisecond on a decision. Tree SHAP of any stored decision is one call away
   * ({@code GET /v1/decisions/{id}/explanation}).
   */
  private static ModelOutcome explained(ModelOutcome m) {
    if (m == null || m.scoredBy() == null || !m.scoredBy().supportsContributions()) return m;
    double[] vector = m.features();
    List<ModelOutcome.TopFeature> top = new ArrayList<>(ModelOutcome.TOP_FEATURES);
    for (Explanation.Contribution c : m.scoredBy().explainFast(vector).top(ModelOutcome.TOP_FEATURES)) {
      top.add(new ModelOutcome.TopFeature(c.feature(),
          vector[ModelFeatures.SCHEMA.indexOf(c.feature())], c.value()));
    }
    return m.withTopFeatures(top);
  }

  /** The policy's limits, plus the daily cap of each lower_limit restriction in force on the account. */
  /**
   * How the account stands against the limits that apply to it now (the policy's and its
   * lower-limit restrictions), in the policy's default time zone; see {@link LimitLedger#usage}.
   * Like every read of the engine's state, call it on the decision sequencer.
   */
  public List<LimitUsage> limitUsage(String accountId, long wallClockMillis) {
    CompiledPolicy p = policy;
    if (p == null) return List.of();
    long clock = Math.max(clockMillis(), wallClockMillis);
    return ledger.usage(accountId, limitsFor(p, accountId, clock), clock, p.defaultZone());
  }

  private List<LimitDefinition> limitsFor(CompiledPolicy p, String accountId, long clock) {
    List<LimitDefinition> policyLimits = p.document().limits();
    List<Restriction> held = restrictions.active(accountId, clock);
    if (held.isEmpty()) return policyLimits;
    List<LimitDefinition> all = null;
    for (Restriction r : held) {
      LimitDefinition l = r.asLimit();
      if (l == null) continue;
      if (all == null) all = new ArrayList<>(policyLimits);
      all.add(l);
    }
    return all == null ? policyLimits : all;
  }

  /**
   * The restrictions firing rules ask for, at most one per kind, leaving out a kind a rule already
   * holds in force on the account (a pattern that keeps firing must not stack restrictions).
   */
  private List<Decision.Restrict> restrictionsAskedFor(Tally tally, String accountId, long clock) {
    if (tally.restricts.isEmpty() || accountId == null) return List.of();
    List<Restriction> held = restrictions.active(accountId, clock);
    List<Decision.Restrict> out = new ArrayList<>(2);
    for (Decision.Restrict r : tally.restricts) {
      boolean already = out.stream().anyMatch(o -> o.kind() == r.kind())
          || held.stream().anyMatch(h -> h.kind() == r.kind() && Restriction.SOURCE_RULE.equals(h.source()));
      if (!already && held.size() + out.size() < RestrictionIndex.PER_ACCOUNT_MAX) out.add(r);
    }
    return List.copyOf(out);
  }

  private static Reason limitReason(LimitUsage u, Event event) {
    LimitDefinition l = u.limit();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("limit_id", l.id());
    values.put("period", l.period().wireName());
    values.put("currency", l.currency());
    values.put("limit_minor", u.capMinor());
    values.put("used_minor", u.usedMinor());
    values.put("amount_minor", event.amountMinor());
    if (u.resetsAtMillis() != 0) values.put("resets_at", Instant.ofEpochMilli(u.resetsAtMillis()).toString());
    String message = l.period() == LimitPeriod.SINGLE
        ? "Amount " + Money.format(event.amountMinor(), l.currency()) + " is over the " + l.id() + " limit of "
            + Money.format(u.capMinor(), l.currency())
        : Money.format(u.usedMinor(), l.currency()) + " already spent " + l.period().wireName() + " plus "
            + Money.format(event.amountMinor(), l.currency()) + " is over the " + l.id() + " limit of "
            + Money.format(u.capMinor(), l.currency());
    return new Reason("limit." + l.id(), message, null, l.breachAction(), values);
  }

  private static Reason holdReason(HoldPolicy h, Event event, Signals eventSignals, long deadlineMillis) {
    String baseCurrency = eventSignals.baseCurrency();
    long amountBaseMinor = eventSignals.amountBaseMinor();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("hold_policy", h.id());
    values.put("event.amount_major", event.amountMajor());
    values.put("event.amount_base", eventSignals.amountBaseMajor());
    values.put("event.base_currency", baseCurrency);
    values.put("approvals_required", (long) h.approvalsRequired());
    values.put("deadline", Instant.ofEpochMilli(deadlineMillis).toString());
    String amount = Money.format(event.amountMinor(), event.currency())
        + (event.currency().equals(baseCurrency) ? "" : " (" + Money.format(amountBaseMinor, baseCurrency) + ")");
    String message = String.format(Locale.ROOT, "Amount %s is over %,.0f %s: held for %d approval%s", amount,
        h.amountMajorOver(), baseCurrency, h.approvalsRequired(), h.approvalsRequired() == 1 ? "" : "s")
        + (h.requiredRoles().isEmpty() ? "" : " including " + h.requiredRoles());
    return new Reason("hold." + h.id(), message, null, Action.HOLD, values);
  }

  /**
   * A restriction stopping the event, then an allow-list entry, then a block-list entry override
   * the rules' action; the overriding reason goes first.
   */
  private Action overrides(Action rulesAction, Event event, Activation activation, List<Reason> reasons, long clock) {
    Restriction restricted = restrictions.stopping(event.accountId(), event.type(), clock);
    if (restricted != null) {
      reasons.add(0, restrictionReason(restricted));
      return Action.DENY;
    }
    Restriction merchantRestricted = restrictions.stoppingMerchant(event.merchantId(), event.type(), clock);
    if (merchantRestricted != null) {
      reasons.add(0, merchantRestrictionReason(merchantRestricted));
      return Action.DENY;
    }
    ListEntry allow = firstMatch(ListKind.ALLOW, activation);
    if (allow != null) {
      reasons.add(0, listReason(allow, Action.ALLOW));
      return Action.ALLOW;
    }
    ListEntry block = firstMatch(ListKind.BLOCK, activation);
    if (block != null) {
      reasons.add(0, listReason(block, Action.DENY));
      return Action.DENY;
    }
    return rulesAction;
  }

  /** What the rules and scorecards of one decision add up to. */
  private static final class Tally {
    final List<Reason> reasons = new ArrayList<>();
    List<Decision.RuleError> errors = List.of();
    List<Decision.Restrict> restricts = List.of();
    long clockMillis;
    /** False for a counterfactual run: the rule ids only, no messages, values or restrictions. */
    boolean explain = true;
    int points;
    Action forced = Action.ALLOW;
    String challengeKind;

    void runRules(List<CompiledRule> rules, Activation activation) {
      for (CompiledRule rule : rules) {
        boolean fired;
        try {
          fired = rule.evaluate(activation);
        } catch (Exception e) {
          error(rule.definition().id(), String.valueOf(e.getMessage()));
          continue;
        }
        if (!fired) continue;
        RuleEffect effect = rule.definition().effect();
        Action ruleAction = null;
        if (effect.forces()) {
          ruleAction = Action.valueOf(effect.forcedAction().name());
          forced = forced.atLeast(ruleAction);
          if (ruleAction == Action.CHALLENGE && challengeKind == null) challengeKind = effect.challengeKind();
        } else {
          points += effect.points();
        }
        if (!explain) {
          reasons.add(new Reason(rule.definition().id(), "", null, ruleAction, Map.of()));
          continue;
        }
        String message = rule.message(activation);
        reasons.add(new Reason(rule.definition().id(), message,
            effect.forces() ? null : effect.points(), ruleAction, rule.values(activation)));
        if (effect.restrictKind() != null) {
          if (restricts.isEmpty()) restricts = new ArrayList<>(2);
          restricts.add(new Decision.Restrict(rule.definition().id(), effect.restrictKind(),
              clockMillis + effect.restrictMillis(), message));
        }
      }
    }

    void runScorecards(List<CompiledScorecard> cards, Activation activation, Event event) {
      for (CompiledScorecard card : cards) {
        CompiledScorecard.Outcome outcome = card.evaluate(activation, event.type());
        if (!outcome.applied()) continue;
        reasons.addAll(outcome.reasons());
        if (outcome.forced() != null) forced = forced.atLeast(outcome.forced());
        if (outcome.error() != null) error("scorecard." + card.definition().id(), outcome.error());
      }
    }

    private void error(String id, String message) {
      if (errors.isEmpty()) errors = new ArrayList<>();
      errors.add(new Decision.RuleError(id, message));
    }
  }

  /**
   * Records a committed event during recovery, without deciding: {@code action} is the stored
   * decision's, which says whether the event holds a limit reservation.
   */
  public void replay(Event event, Action action, long wallClockMillis) {
    ReferenceData ref = reference;
    features.apply(event, tick(wallClockMillis), ref.rates());
    signals.replay(event, ref);
    if (LimitLedger.reserves(event, action)) ledger.reserve(event);
  }

  // ---- checkpoint ------------------------------------------------------------------------------

  /**
   * The parts of a checkpoint, in the order they are written and read. A disk-backed feature store
   * has no "features" part: it checkpoints itself to a directory ({@link FeatureStore#checkpointTo}).
   */
  public static final List<String> STATE_PARTS = List.of("engine", "features", "signals", "ledger");
  /** Format version of the "engine" part (2: records whether the windows are on disk). */
  static final int FORMAT_VERSION = 2;

  /**
   * Serializes the state derived from the journal (engine clock, windows and facts, account
   * signals and link graph, limit reservations) to memory, one buffer per part of
   * {@link #STATE_PARTS}. Call on the deciding thread, between decisions: the buffers are a
   * consistent picture of one sequence boundary and are not touched again by the engine.
   * In-memory feature stores only (see {@link #checkpoint(Path)}).
   *
   * <p>Not included, because the server reads them back from their own tables at every start:
   * labels, restrictions, limit releases, failed challenges, lists, policy, models and reference
   * data.
   */
  public Map<String, StateBuffer> checkpoint() {
    if (features.diskBacked()) throw new IllegalStateException("a disk-backed feature store needs a directory: checkpoint(Path)");
    return checkpoint(null);
  }

  /**
   * As {@link #checkpoint()}, for either kind of feature store: an in-memory store is serialized
   * into the "features" buffer; a disk-backed one writes {@link FeatureStore#checkpointTo} into
   * {@code featuresDir} (which must not exist; RocksDB table files are hard-linked, so this is
   * fast) and the result has no "features" part. Restore such a checkpoint into an engine built on
   * {@link FeatureStore#fromCheckpoint} of that directory.
   */
  public Map<String, StateBuffer> checkpoint(Path featuresDir) {
    return checkpoint(featuresDir, PartCipher.NONE);
  }

  /** As {@link #checkpoint(Path)}; a disk-backed store's state file is sealed by {@code cipher}. */
  public Map<String, StateBuffer> checkpoint(Path featuresDir, PartCipher cipher) {
    boolean onDisk = features.diskBacked();
    if (onDisk && featuresDir == null) throw new IllegalArgumentException("a disk-backed feature store needs a directory");
    Map<String, StateBuffer> parts = new LinkedHashMap<>();
    try {
      StateBuffer engine = new StateBuffer();
      StateWriter out = new StateWriter(engine);
      out.header("engine", FORMAT_VERSION);
      out.writeLong(clockMillis);
      out.writeBoolean(onDisk);
      out.end();
      parts.put("engine", engine);
      if (onDisk) {
        features.checkpointTo(featuresDir, cipher);
      } else {
        StateBuffer f = new StateBuffer();
        features.writeTo(new StateWriter(f));
        parts.put("features", f);
      }
      StateBuffer s = new StateBuffer();
      signals.writeTo(new StateWriter(s));
      parts.put("signals", s);
      StateBuffer l = new StateBuffer();
      ledger.writeTo(new StateWriter(l));
      parts.put("ledger", l);
    } catch (IOException inMemory) {
      throw new UncheckedIOException("writing to memory cannot fail", inMemory);
    }
    return parts;
  }

  /**
   * Fills this engine, fresh from its constructor (what the server reads from its tables may
   * already be loaded), with a checkpoint's state. Throws {@link StateFormatException} when a
   * part is damaged or was written under another feature or link configuration; the engine must
   * then be thrown away (the caller replays the journal into a new one instead). A checkpoint of a
   * disk-backed store is restored into an engine built on {@link FeatureStore#fromCheckpoint} of
   * its features directory (that store already holds the windows and facts); an in-memory one into
   * an engine with an empty in-memory store.
   */
  public void restore(PartSource parts) throws IOException {
    boolean onDisk;
    try (InputStream in = parts.open("engine")) {
      StateReader r = new StateReader(in);
      int version = r.expectHeader("engine", FORMAT_VERSION);
      long clock = r.readLong();
      onDisk = version >= 2 && r.readBoolean();
      r.expectEnd();
      if (onDisk != features.diskBacked()) {
        throw new StateFormatException(onDisk
            ? "the checkpoint's windows are on disk; this engine keeps them in memory"
            : "the checkpoint's windows are in memory; this engine keeps them on disk");
      }
      tick(clock);
    }
    if (!onDisk) {
      try (InputStream in = parts.open("features")) {
        features.readFrom(new StateReader(in));
      }
    }
    try (InputStream in = parts.open("signals")) {
      signals.readFrom(new StateReader(in));
    }
    try (InputStream in = parts.open("ledger")) {
      ledger.readFrom(new StateReader(in));
    }
  }

  /** The engine clock: the latest wall-clock time it was given (never moves backwards). */
  public long clockMillis() {
    return clockMillis;
  }

  private boolean onList(ListKind kind, String accountId, long clock) {
    return lists.matchValue(kind, ListEntity.ACCOUNT, accountId, clock) != null;
  }

  private static ListEntry firstMatch(ListKind kind, Activation activation) {
    for (ListEntity entity : LIST_ENTITIES) {
      ListEntry hit = activation.listMatch(kind, entity);
      if (hit != null) return hit;
    }
    return null;
  }

  private static Reason listReason(ListEntry entry, Action action) {
    String message = entry.entity().wireName() + " is on the " + entry.kind().wireName() + " list"
        + (entry.reason() == null || entry.reason().isBlank() ? "" : ": " + entry.reason());
    return new Reason("list." + entry.kind().wireName() + "." + entry.entity().wireName(), message, null, action,
        Map.of("list_entry_id", entry.id()));
  }

  private static Reason restrictionReason(Restriction r) {
    String by = Restriction.SOURCE_HOLDER.equals(r.source()) ? "locked by the account holder" : "restricted: " + r.kind().wireName();
    return new Reason("restriction." + r.kind().wireName(), withGivenReason("Account " + by, r), null, Action.DENY,
        restrictionValues(r, null));
  }

  /** A restriction of the event's merchant, such as a freeze of the id a payment goes to. */
  private static Reason merchantRestrictionReason(Restriction r) {
    String message = "Merchant restricted: " + r.kind().wireName() + ", payments to it are stopped";
    return new Reason(MERCHANT_RESTRICTION_PREFIX + r.kind().wireName(), withGivenReason(message, r), null, Action.DENY,
        restrictionValues(r, r.accountId()));
  }

  /** The restriction's id, source, the merchant it stops (or none) and its expiry (when it has one). */
  private static Map<String, Object> restrictionValues(Restriction r, String merchantIdOrNull) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("restriction_id", r.id());
    values.put("source", r.source());
    if (merchantIdOrNull != null) values.put("merchant_id", merchantIdOrNull);
    if (r.expiresAtMillis() != 0) values.put("expires_at", Instant.ofEpochMilli(r.expiresAtMillis()).toString());
    return values;
  }

  private static String withGivenReason(String message, Restriction r) {
    return r.reason() == null || r.reason().isBlank() ? message : message + " (" + r.reason() + ")";
  }

  private static RiskLevel floorLevel(Action action) {
    return switch (action) {
      case ALLOW -> RiskLevel.LOW;
      case CHALLENGE -> RiskLevel.MEDIUM;
      case REVIEW, HOLD -> RiskLevel.HIGH;
      case DENY -> RiskLevel.CRITICAL;
    };
  }
}
