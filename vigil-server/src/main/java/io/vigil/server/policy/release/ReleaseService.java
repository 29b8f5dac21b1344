package io.vigil.server.policy.release;

import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.policy.PolicyJson;
import io.vigil.server.policy.PolicyService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Gray releases and shadow policies: starts one (at most one runs), steps its percentage, stops
 * and promotes it, and restores the running one at start-up. Every change is stored first, then
 * given to the decision pipeline as a new immutable {@link ReleaseSnapshot}, which each decision
 * reads once. Changes are serialized by this object's lock.
 */
public final class ReleaseService implements Releases {
  /** Characters of a stop reason kept. */
  public static final int REASON_CHARS_MAX = 1024;
  /** How long a stop waits for the sequencer to finish the decision it holds, in milliseconds. */
  static final long SEQUENCER_SYNC_MILLIS = 2_000;

  private final ReleaseRepository repository;
  private final PolicyService policies;
  private final DecisionPipeline pipeline;
  private final JournalRepository journal;
  private final DataSource dataSource;
  private final ReleaseNotifications notifications;
  private final Clock clock;
  /** The running release's comparison, refreshed incrementally by the guard; null when none runs. */
  private ReleaseComparison runningComparison;

  public ReleaseService(ReleaseRepository repository, PolicyService policies, DecisionPipeline pipeline, JournalRepository journal,
      DataSource dataSource, ReleaseNotifications notifications, Clock clock) {
    this.repository = repository;
    this.policies = policies;
    this.pipeline = pipeline;
    this.journal = journal;
    this.dataSource = dataSource;
    this.notifications = notifications;
    this.clock = clock;
    restore();
  }

  /** Gives the stored running release (if any) back to the pipeline: after a restart, decisions go on as before. */
  synchronized void restore() {
    Optional<ReleaseRecord> running = repository.running();
    if (running.isEmpty()) {
      pipeline.install((ReleaseSnapshot) null);
      return;
    }
    ReleaseRecord r = running.get();
    install(r, compile(PolicyJson.parseDocument(r.candidateDocument())));
    runningComparison = new ReleaseComparison(r.releaseId(), r.startSequence(), 0);
  }

  @Override
  public synchronized String start(ReleaseRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.candidate() == null) throw ApiException.invalid("missing_field", "candidate is required", "candidate");
    if (request.mode() == null) throw ApiException.invalid("missing_field", "mode is required", "mode");
    if (request.actor() == null || request.actor().isBlank()) throw ApiException.invalid("missing_field", "actor is required", "actor");
    int percent = request.mode() == ReleaseMode.GRAY ? checkPercent(request.percent()) : 0;
    Optional<ReleaseRecord> running = repository.running();
    if (running.isPresent()) {
      throw ApiException.conflict("invalid_request_error", "release_running",
          "Release " + running.get().releaseId() + " is running; stop or promote it first", null);
    }
    long live = policies.active().version();
    if (live != request.baseVersion()) {
      throw ApiException.conflict("invalid_request_error", "change_conflict", "The live policy is at version " + live
          + ", not the base version " + request.baseVersion() + " the change was built on", "base_version");
    }
    PolicyDocument candidate = request.candidate().withRules(live + 1, request.candidate().rules());
    CompiledPolicy compiled = compile(candidate);
    ReleaseRecord r = new ReleaseRecord(Ids.random("rel_"), request.changeRequestId(), request.mode(), ReleaseStatus.RUNNING,
        percent, live, candidate.version(), Json.write(PolicyJson.document(candidate)), journal.head().sequence(), 0,
        request.actor(), clock.millis(), null, null, null);
    repository.insert(r, request.mode() == ReleaseMode.SHADOW ? "shadow" : "gray at " + percent + " %");
    runningComparison = new ReleaseComparison(r.releaseId(), r.startSequence(), 0);
    install(r, compiled);
    return r.releaseId();
  }

  /** Sets a running gray release's percentage (0–100); refused for a shadow release or an ended one. */
  public synchronized ReleaseRecord percent(String releaseId, Integer percent, String actor) {
    if (percent == null) throw ApiException.invalid("missing_field", "percent is required", "percent");
    int p = checkPercent(percent);
    ReleaseRecord r = requireRunning(releaseId);
    if (r.mode() != ReleaseMode.GRAY) {
      throw ApiException.conflict("invalid_request_error", "release_not_gray", "A shadow release acts on no traffic; it has no percentage",
          "percent");
    }
    ReleaseRecord next = r.withPercent(p);
    if (!repository.update(next, clock.millis(), actor, "percent", "from " + r.percent() + " % to " + p + " %")) {
      throw notRunning(releaseId);
    }
    install(next, currentCandidate());
    return next;
  }

  /** Stops a running release: every following decision is the live policy's alone. */
  public synchronized ReleaseRecord stop(String releaseId, String actor, String reason) {
    return stop(releaseId, actor, reason, false);
  }

  synchronized ReleaseRecord stop(String releaseId, String actor, String reason, boolean byGuard) {
    ReleaseRecord r = requireRunning(releaseId);
    long end = detach();
    String why = reason == null || reason.isBlank() ? "stopped by " + actor : truncate(reason);
    ReleaseRecord stopped = r.ended(ReleaseStatus.STOPPED, end, actor, clock.millis(), why);
    if (!repository.update(stopped, clock.millis(), actor, byGuard ? "guard_stop" : "stop", why)) throw notRunning(releaseId);
    runningComparison = null;
    notifications.stopped(stopped, byGuard);
    return stopped;
  }

  /**
   * Makes the candidate the live policy (one new version through {@link PolicyService#promote},
   * refused with {@code 409 change_conflict} when the live policy moved on since the release
   * started; the release then keeps running), and ends the release.
   */
  public synchronized ReleaseRecord promote(String releaseId, String actor) {
    ReleaseRecord r = requireRunning(releaseId);
    PolicyDocument candidate = PolicyJson.parseDocument(r.candidateDocument());
    policies.install(candidate, r.baseVersion(), actor, "promote release " + r.releaseId());
    long end = detach();
    ReleaseRecord promoted = r.ended(ReleaseStatus.PROMOTED, end, actor, clock.millis(), "promoted to version " + candidate.version());
    repository.update(promoted, clock.millis(), actor, "promote", promoted.endReason());
    runningComparison = null;
    return promoted;
  }

  public Optional<ReleaseRecord> find(String releaseId) {
    return repository.find(releaseId);
  }

  public ReleaseRecord require(String releaseId) {
    return repository.find(releaseId).orElseThrow(() -> ApiException.notFound("release_not_found", "No release with this id", "id"));
  }

  public List<ReleaseRecord> list(int rows) {
    return repository.list(rows);
  }

  public Optional<ReleaseRecord> running() {
    return repository.running();
  }

  public List<ReleaseRepository.Step> steps(String releaseId) {
    return repository.steps(releaseId);
  }

  /** A fresh comparison of a release's decisions, read from the journal (labels as they are now). */
  public Map<String, Object> comparison(ReleaseRecord r) {
    ReleaseComparison c = new ReleaseComparison(r.releaseId(), r.startSequence(), r.endSequence());
    c.refresh(journal, dataSource);
    return c.json();
  }

  /** The running release's comparison, brought up to date with the rows stored since the last call (the guard's view). */
  synchronized Optional<RunningView> refreshRunning() {
    Optional<ReleaseRecord> r = repository.running();
    if (r.isEmpty() || runningComparison == null) return Optional.empty();
    runningComparison.refresh(journal, dataSource);
    return Optional.of(new RunningView(r.get(), runningComparison.live(), runningComparison.candidate()));
  }

  /** The running release with both policies' tallies. */
  record RunningView(ReleaseRecord release, PolicyTally live, PolicyTally candidate) {}

  static int checkPercent(int percent) {
    if (percent < 0 || percent > 100) {
      throw ApiException.invalid("invalid_percent", "percent must be a whole number from 0 to 100", "percent");
    }
    return percent;
  }

  private ReleaseRecord requireRunning(String releaseId) {
    ReleaseRecord r = require(releaseId);
    if (r.status() != ReleaseStatus.RUNNING) throw notRunning(releaseId);
    return r;
  }

  private static ApiException notRunning(String releaseId) {
    return ApiException.conflict("invalid_request_error", "release_not_running", "Release " + releaseId + " is not running", "id");
  }

  private CompiledPolicy compile(PolicyDocument document) {
    return CompiledPolicy.compile(document, policies.compiler());
  }

  private CompiledPolicy currentCandidate() {
    ReleaseSnapshot s = pipeline.release();
    if (s == null) throw new IllegalStateException("a running release has no snapshot installed");
    return s.candidate();
  }

  private void install(ReleaseRecord r, CompiledPolicy candidate) {
    pipeline.install(new ReleaseSnapshot(r.releaseId(), candidate, r.mode() == ReleaseMode.GRAY, r.percent()));
  }

  /**
   * Takes the release out of the pipeline and returns the journal head once the sequencer has
   * finished the decision it held: decisions after it are the live policy's alone. A decision
   * made just before that is still being stored may land after the head and is left out of the
   * comparison.
   */
  private long detach() {
    pipeline.install((ReleaseSnapshot) null);
    try {
      pipeline.onSequencer(e -> Boolean.TRUE).get(SEQUENCER_SYNC_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // The sequencer is busy or rebuilding: the head below may miss a decision or two; the snapshot is already gone.
    }
    return journal.head().sequence();
  }

  private static String truncate(String s) {
    return s.length() <= REASON_CHARS_MAX ? s : s.substring(0, REASON_CHARS_MAX);
  }
}
