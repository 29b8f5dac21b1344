package io.vigil.server.config;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.signal.links.LinkLimits;
import io.vigil.engine.state.PartCipher;
import io.vigil.server.account.RestrictionRepository;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.backup.OnlineBackup;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.ReviewVerdicts;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.challenge.ChallengeService;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.DecisionService;
import io.vigil.server.decision.WindowStateStores;
import io.vigil.server.feedback.FeedbackRepository;
import io.vigil.server.feedback.FeedbackService;
import io.vigil.server.health.DecisionsHealth;
import io.vigil.server.health.PipelineLiveness;
import io.vigil.server.health.StoreHealth;
import io.vigil.server.hold.ApprovalRepository;
import io.vigil.server.hold.HoldService;
import io.vigil.server.journal.AnchorFile;
import io.vigil.server.journal.AnchorKey;
import io.vigil.server.journal.AnchorKeyring;
import io.vigil.server.journal.AnchorPaths;
import io.vigil.server.journal.JournalAnchors;
import io.vigil.server.journal.JournalPartitions;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.limit.LimitReleaseRepository;
import io.vigil.server.limit.LimitService;
import io.vigil.server.list.ListExport;
import io.vigil.server.list.ListImport;
import io.vigil.server.list.ListRepository;
import io.vigil.server.list.ListService;
import io.vigil.server.model.DecisionFeatures;
import io.vigil.server.model.ModelFiles;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.model.ModelService;
import io.vigil.server.model.ScheduledRetraining;
import io.vigil.server.outcome.FinalOutcomes;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.privacy.ListSealing;
import io.vigil.server.reference.ReferenceRepository;
import io.vigil.server.reference.ReferenceService;
import io.vigil.server.reversal.ReversalRepository;
import io.vigil.server.reversal.ReversalService;
import io.vigil.server.screening.ScreeningService;
import io.vigil.server.state.CheckpointFiles;
import io.vigil.server.state.Checkpoints;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.storage.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Wires the engine, storage and pipeline. Start-up order: migrate, load policy and lists, replay the journal. */
@Configuration
@EnableConfigurationProperties(VigilProperties.class)
public class VigilConfiguration {
  private static final Logger log = LoggerFactory.getLogger(VigilConfiguration.class);

  /** The one source of "now" for the server; tests replace it with a clock of their own. */
  @Bean
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  public HikariDataSource dataSource(VigilProperties p) {
    String url = p.storage().url().isEmpty() ? Storage.embeddedUrl(p.dataDir()) : p.storage().url();
    HikariDataSource ds = Storage.open(url, p.storage().username(), p.storage().password(), p.storage().poolSize(), "vigil",
        p.storage().durableCommits());
    Storage.migrate(ds);
    Storage.logDurability(ds, p.storage().durableCommits());
    return ds;
  }

  @Bean
  public FeatureConfig featureConfig(VigilProperties p) {
    return p.features().toFeatureConfig();
  }

  @Bean
  public JournalRepository journalRepository(HikariDataSource ds) {
    return new JournalRepository(ds);
  }

  /** On a partitioned PostgreSQL journal, this month's and the next months' partitions, before the first decision. */
  @Bean(destroyMethod = "close")
  public JournalPartitions journalPartitions(HikariDataSource ds, Clock clock) {
    return new JournalPartitions(ds, clock).start();
  }

  @Bean
  public PolicyService policyService(HikariDataSource ds, FeatureConfig features, Clock clock) {
    return new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(features)), clock);
  }

  @Bean
  public ListIndex listIndex() {
    return new ListIndex();
  }

  @Bean
  public ListService listService(HikariDataSource ds, ListIndex index, ListSealing sealing, Clock clock) {
    return new ListService(new ListRepository(ds, sealing), index, clock);
  }

  @Bean
  public ListImport listImport(HikariDataSource ds, ListIndex index, ListService lists, ListSealing sealing, Clock clock) {
    return new ListImport(new ListRepository(ds, sealing), index, lists, clock);
  }

  @Bean
  public ListExport listExport(HikariDataSource ds, ListSealing sealing, Clock clock) {
    return new ListExport(new ListRepository(ds, sealing), clock);
  }

  @Bean
  public RestrictionIndex restrictionIndex() {
    return new RestrictionIndex();
  }

  @Bean
  public RestrictionService restrictionService(HikariDataSource ds, RestrictionIndex index, Clock clock) {
    return new RestrictionService(new RestrictionRepository(ds), index, clock);
  }

  @Bean
  public ReferenceService referenceService(VigilProperties p, HikariDataSource ds, Clock clock) {
    return new ReferenceService(new ReferenceRepository(ds), p.referenceDir(), p.signals().phoneCacheEntriesMax(), clock);
  }

  @Bean
  public SignalConfig signalConfig(VigilProperties p) {
    VigilProperties.Signals s = p.signals();
    return new SignalConfig(s.homeCountry().isEmpty() ? null : s.homeCountry(), s.impossibleTravelSpeedKmh(),
        s.impossibleTravelDistanceKmMin(), SignalConfig.defaults().regionHopsMax(), s.phoneCacheEntriesMax(),
        new LinkLimits(s.linkIdentifiersPerAccountMax(), s.linkAccountsPerIdentifierMax(), s.linkClusterAccountsMax(),
            LinkLimits.defaults().clusterIdentifiersMax(), LinkLimits.defaults().clusterLinksMax(),
            LinkLimits.defaults().clusterKinds()));
  }

  /**
   * Online backups of the embedded store (anchor files, database, model files), into
   * {@code vigil.storage.backup-dir} ({@code <data-dir>/backups} when empty).
   */
  @Bean
  public OnlineBackup onlineBackup(VigilProperties p, HikariDataSource ds, Clock clock) {
    VigilProperties.Anchoring a = p.journal().anchor();
    Path dir = p.storage().backupDir().isEmpty() ? Path.of(p.dataDir(), "backups") : Path.of(p.storage().backupDir());
    List<OnlineBackup.Source> anchorFiles = List.of(
        new OnlineBackup.Source(a.file().isEmpty() ? AnchorPaths.anchorFile(p.dataDir()) : Path.of(a.file()),
            "anchor/anchors.jsonl", true),
        new OnlineBackup.Source(a.keysFile().isEmpty() ? AnchorPaths.keyringFile(p.dataDir()) : Path.of(a.keysFile()),
            "anchor/public-keys.jsonl", true),
        new OnlineBackup.Source(a.keyFile().isEmpty() ? AnchorPaths.keyFile(p.dataDir()) : Path.of(a.keyFile()),
            "anchor/signing.key", false));
    return new OnlineBackup(ds, !Storage.isPostgres(ds.getJdbcUrl()), dir, p.modelDir(), anchorFiles, clock);
  }

  /**
   * Signs the committed journal head at intervals and at shutdown. The pipeline depends on it, so it
   * closes after the pipeline has committed its last decision, and signs that head.
   */
  @Bean(destroyMethod = "close")
  public JournalAnchors journalAnchors(VigilProperties p, Clock clock) {
    VigilProperties.Anchoring a = p.journal().anchor();
    AnchorKey key = JournalAnchors.loadKey(a.key(), a.keyFile(), AnchorPaths.keyFile(p.dataDir()));
    Path keys = a.keysFile().isEmpty() ? AnchorPaths.keyringFile(p.dataDir()) : Path.of(a.keysFile());
    Path file = a.file().isEmpty() ? AnchorPaths.anchorFile(p.dataDir()) : Path.of(a.file());
    JournalAnchors.OnBrokenChain onBroken = p.journal().onBrokenChain().equals("read-only")
        ? JournalAnchors.OnBrokenChain.READ_ONLY : JournalAnchors.OnBrokenChain.REFUSE;
    return new JournalAnchors(key, AnchorKeyring.read(keys), new AnchorFile(file), a.intervalMillis(), onBroken, clock,
        p.journal().archivedThrough());
  }

  /**
   * Checkpoints of the state (docs/operations.md#checkpoints). Closed after the pipeline, so a
   * checkpoint being written when the pipeline stops is finished.
   */
  @Bean(destroyMethod = "close")
  public Checkpoints checkpoints(VigilProperties p, JournalRepository journal, PartCipher checkpointPartCipher, Clock clock) {
    VigilProperties.Checkpoints c = p.checkpoints();
    return new Checkpoints(new CheckpointFiles(p.checkpointDir(), checkpointPartCipher),
        new Checkpoints.Settings(c.enabled(), c.load(), TimeUnit.SECONDS.toMillis(c.intervalSeconds()), c.everyDecisions(), c.keep()), journal, clock);
  }

  /** Built after the list and restriction services have loaded what is stored, so the first decision sees it. */
  @Bean(destroyMethod = "close")
  @DependsOn({"listService", "restrictionService", "journalPartitions"})
  public DecisionPipeline decisionPipeline(VigilProperties p, HikariDataSource ds, JournalRepository journal,
      FeatureConfig features, SignalConfig signals, ListIndex lists, RestrictionIndex restrictions, PolicyService policies,
      ReferenceService reference, ModelRegistry models, MeterRegistry registry, Clock clock, JournalAnchors anchors,
      WindowStateStores windowStores, Checkpoints checkpoints, JournalPrivacy journalPrivacy, ScreeningService screening) {
    LimitReleaseRepository releases = new LimitReleaseRepository(ds);
    ChallengeRepository challenges = new ChallengeRepository(ds);
    FeedbackRepository labels = new FeedbackRepository(ds);
    Function<FeatureStore, Engine> engineOn = windows -> {
      // What the journal alone does not hold: limit releases, failed challenges and labels, read back
      // before the replay (or the checkpoint's tail); the models are the shared registry's.
      Engine engine = new Engine(windows, signals, lists, reference.current(), restrictions);
      engine.install(models);
      engine.install(screening);
      long now = clock.millis();
      FeedbackService.preload(labels, engine.labels(), now, Engine.LABEL_RETENTION_MILLIS);
      LimitService.preload(releases, engine, now);
      for (ChallengeRepository.Failure f : challenges.failuresSince(now - 86_400_000L)) {
        engine.signals().recordChallengeFailure(f.accountId(), f.recordedAtMillis());
      }
      return engine;
    };
    DecisionPipeline pipeline = new DecisionPipeline(journal, ds, () -> engineOn.apply(windowStores.fresh()),
        featuresDir -> engineOn.apply(windowStores.restore(featuresDir)), policies.active(), p.decisions().queueCapacity(),
        p.decisions().commitBatchMax(), registry, clock, anchors, p.decisions().idempotencyHorizonMillis(),
        DurableCommit.of(p.storage().durableCommits()), checkpoints, journalPrivacy);
    policies.onInstall(pipeline::install);
    reference.onInstall(pipeline::install);
    return pipeline;
  }

  /** The velocity windows on disk; closed after the pipeline (which depends on it). */
  @Bean(destroyMethod = "close")
  public WindowStateStores windowStateStores(VigilProperties p, FeatureConfig features, PartCipher checkpointPartCipher) {
    WindowDiskSettings configured = p.features().windowDiskSettings();
    WindowDiskSettings settings = configured.withinHeap(Runtime.getRuntime().maxMemory());
    if (settings != configured) {
      log.warn("vigil.features.window-cache-mb is more than a quarter of the heap; the window cache uses {} MiB",
          settings.cacheBytes() / WindowDiskSettings.MB);
    }
    return new WindowStateStores(features, p.windowStateDir(), settings, checkpointPartCipher);
  }

  @Bean
  public DecisionService decisionService(DecisionPipeline pipeline, JournalRepository journal, VigilProperties p,
      JournalAnchors anchors) {
    return new DecisionService(pipeline, journal, p.decisions().replyTimeoutMillis(), p.decisions().overloadFallbackAction(),
        TimeUnit.MILLISECONDS.toNanos(p.decisions().admissionBudgetMillis()), anchors::readOnly);
  }

  /** The live and shadow models, kept across state rebuilds; {@link ModelService} fills it. */
  @Bean
  public ModelRegistry modelRegistry() {
    return new ModelRegistry();
  }

  @Bean
  public DecisionFeatures decisionFeatures(HikariDataSource ds) {
    return new DecisionFeatures(ds);
  }

  @Bean(destroyMethod = "close")
  public ModelService modelService(HikariDataSource ds, DecisionFeatures vectors, DecisionPipeline pipeline, ModelRegistry models,
      Clock clock, VigilProperties p) {
    return new ModelService(new ModelRepository(ds, new ModelFiles(p.modelDir())), vectors, pipeline, models, clock);
  }

  @Bean(destroyMethod = "close")
  public ScheduledRetraining scheduledRetraining(ModelService models, VigilProperties properties, Clock clock) {
    VigilProperties.Models m = properties.models();
    return new ScheduledRetraining(models, TimeUnit.HOURS.toMillis(m.retrainEveryHours()),
        TimeUnit.DAYS.toMillis(m.retrainWindowDays()), TimeUnit.DAYS.toMillis(m.retrainLabelDelayDays()), clock);
  }

  @Bean
  public FeedbackService feedbackService(JournalRepository journal, HikariDataSource ds, DecisionPipeline pipeline, Clock clock) {
    return new FeedbackService(journal, new FeedbackRepository(ds), pipeline, clock);
  }

  @Bean
  public LimitService limitService(JournalRepository journal, HikariDataSource ds, DecisionPipeline pipeline, Clock clock) {
    return new LimitService(journal, new LimitReleaseRepository(ds), pipeline, clock);
  }

  @Bean
  public ChallengeService challengeService(PolicyService policies, JournalRepository journal, HikariDataSource ds,
      RestrictionService restrictions, LimitService limits, DecisionPipeline pipeline, FinalOutcomes outcomes, Clock clock) {
    return new ChallengeService(journal, new ChallengeRepository(ds), restrictions,
        () -> policies.active().document().challenges(), limits, pipeline, outcomes, clock);
  }

  @Bean
  public ReversalService reversalService(VigilProperties p, JournalRepository journal, HikariDataSource ds,
      FinalOutcomes outcomes, RestrictionService restrictions, LimitService limits, Clock clock) {
    return new ReversalService(journal, new ReversalRepository(ds), outcomes, restrictions, limits,
        p.reversals().windowMinutes() * 60_000L, p.reversals().requestsPerDayToReview(), clock);
  }

  @Bean
  public HoldService holdService(JournalRepository journal, HikariDataSource ds, RestrictionService restrictions,
      LimitService limits, Clock clock) {
    return new HoldService(journal, new ApprovalRepository(ds), new ChallengeRepository(ds), restrictions, limits, clock);
  }

  /** What each decision ended as, after its challenge, hold, review verdict or reversal. */
  @Bean
  public FinalOutcomes finalOutcomes(HikariDataSource ds, Clock clock) {
    return new FinalOutcomes(new ChallengeRepository(ds), new ApprovalRepository(ds), new ReversalRepository(ds),
        new ReviewVerdicts(new CaseRepository(ds)), clock);
  }

  /** Readiness: DOWN when a decision cannot be made and stored now (see {@link DecisionsHealth}). */
  @Bean
  public HealthIndicator decisionsHealthIndicator(DecisionPipeline pipeline, VigilProperties p, JournalAnchors anchors) {
    return new DecisionsHealth(pipeline, p.decisions().replyTimeoutMillis(), anchors::readOnly);
  }

  /** Liveness: DOWN when a decision thread has stopped, which only a restart repairs. */
  @Bean
  public HealthIndicator pipelineThreadsHealthIndicator(DecisionPipeline pipeline) {
    return new PipelineLiveness(pipeline);
  }

  /** Readiness: DOWN when the store does not answer (checked at most once a second, bounded in time). */
  @Bean(destroyMethod = "close")
  public StoreHealth storeHealthIndicator(HikariDataSource ds, VigilProperties p) {
    return new StoreHealth(ds, p.health().storeCheckCacheMillis(), p.health().storeCheckTimeoutMillis());
  }
}
