package io.vigil.server.change;

import io.vigil.engine.policy.PolicyDocument;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Json;
import io.vigil.server.policy.PolicyDocuments;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.policy.release.ReleaseRequest;
import io.vigil.server.policy.release.Releases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Maker-checker for configuration: a change request is drafted by its author against the live
 * version of its kind, and goes live only when another operator approves it, at once, at a time,
 * or as a gradual release. Every state change and its history entry are written together; every
 * change that mutates state holds this service's lock, so two approvals never interleave (the
 * second of two conflicting changes finds the live version moved on: {@code 409 change_conflict}).
 */
public final class ChangeRequestService {
  public static final int REASON_CHARS_MAX = 1024;
  public static final int PROPOSAL_CHARS_MAX = 1_000_000;
  public static final int DUE_PER_SWEEP_MAX = 100;
  private final ChangeRequestRepository repository;
  private final ChangeKinds kinds;
  private final Releases releases;
  private final PolicyService policies;
  private final Clock clock;
  private final Duration expiry;
  private Consumer<ChangeRequest> onScheduledLive = r -> {};

  public ChangeRequestService(ChangeRequestRepository repository, ChangeKinds kinds, Releases releases,
      PolicyService policies, Clock clock, Duration expiry) {
    if (expiry.isNegative() || expiry.isZero()) throw new IllegalArgumentException("vigil.changes.expiry must be positive");
    this.repository = repository;
    this.kinds = kinds;
    this.releases = releases;
    this.policies = policies;
    this.clock = clock;
    this.expiry = expiry;
  }

  /** Called with each request the scheduler put live (the audit trail records it). */
  public void onScheduledLive(Consumer<ChangeRequest> listener) {
    this.onScheduledLive = listener;
  }

  /** A new pending request: the proposal completed, validated, and its difference against live. */
  public synchronized ChangeRequest create(String kindName, String author, String reason, Map<String, Object> proposed) {
    return create(kindName, author, reason, proposed, null);
  }

  private ChangeRequest create(String kindName, String author, String reason, Map<String, Object> proposed, Long rollbackTo) {
    ChangeKind kind = kinds.get(kindName);
    checkReason(reason);
    Map<String, Object> whole = kind instanceof ChangeDrafting d ? d.complete(proposed) : proposed;
    if (Json.write(whole).length() > PROPOSAL_CHARS_MAX) {
      throw ApiException.invalid("proposal_too_large", "A proposal is at most " + PROPOSAL_CHARS_MAX + " characters of JSON", "proposed");
    }
    kind.validate(whole);
    ChangeKind.Live live = kind.live();
    long now = clock.millis();
    ChangeRequest r = new ChangeRequest(Ids.random("chg_"), kind.name(), author, reason, whole, kind.difference(whole), live.version(),
        ChangeRequest.PENDING, now, now + expiry.toMillis(), null, null, null, null, null, false, false, null, null, rollbackTo);
    repository.insert(r, event(author, "created", reason));
    return r;
  }

  /** A request whose proposal is policy version {@code version}'s document. */
  public synchronized ChangeRequest rollback(long version, String author, String reason) {
    Map<String, Object> document = ((PolicyChangeKind) kinds.get(PolicyChangeKind.NAME)).version(version);
    if (version == policies.document().version()) {
      throw ApiException.invalid("already_live", "Version " + version + " is the live policy", "rollback_to_version");
    }
    return create(PolicyChangeKind.NAME, author, reason, document, version);
  }

  /** The request, expired first when its time has passed. */
  public ChangeRequest get(String id) {
    ChangeRequest r = repository.find(id).orElseThrow(() -> ApiException.notFound("change_request_not_found",
        "No change request with this id", "id"));
    return expireIfDue(r);
  }

  public List<ChangeRequest> list(String status, String kind, Boolean reviewRequired, int rows) {
    return repository.list(status, kind, reviewRequired, rows).stream().map(this::expireIfDue).toList();
  }

  public List<ChangeRequest.Event> history(String id) {
    return repository.events(id);
  }

  /** The difference against what is live now (it may have moved on since the request was drafted). */
  public Map<String, Object> differenceNow(ChangeRequest r) {
    return kinds.get(r.kind()).difference(r.proposed());
  }

  /** What is live now for this kind. */
  public Map<String, Object> liveConfiguration(String kind) {
    return kinds.get(kind).live().configuration();
  }

  public long liveVersion(String kind) {
    return kinds.get(kind).live().version();
  }

  public synchronized ChangeRequest withdraw(String id, String actor) {
    ChangeRequest r = pending(id);
    if (!r.author().equals(actor)) throw ApiException.forbidden("not_author", "Only the author may withdraw a change request", "id");
    return move(r, status(r, ChangeRequest.WITHDRAWN, actor), "withdrawn", null);
  }

  public synchronized ChangeRequest reject(String id, String actor, String note) {
    ChangeRequest r = pending(id);
    notOwn(r, actor);
    return move(r, status(r, ChangeRequest.REJECTED, actor), "rejected", note);
  }

  /**
   * The author re-drafts a request against what is live now: sections it did not change follow
   * the live configuration, the base version and the difference are recomputed.
   */
  public synchronized ChangeRequest rebase(String id, String actor) {
    ChangeRequest r = pending(id);
    if (!r.author().equals(actor)) throw ApiException.forbidden("not_author", "Only the author may rebase a change request", "id");
    ChangeKind kind = kinds.get(r.kind());
    Map<String, Object> proposed = r.proposed();
    if (kind instanceof ChangeDrafting d) proposed = d.complete(ChangeDifference.changedSections(r.difference(), r.proposed()));
    kind.validate(proposed);
    ChangeKind.Live live = kind.live();
    ChangeRequest next = new ChangeRequest(r.id(), r.kind(), r.author(), r.reason(), proposed, kind.difference(proposed), live.version(),
        r.status(), r.createdAtMillis(), r.expiresAtMillis(), null, null, null, null, null, r.emergency(), r.reviewRequired(), null, null,
        r.rollbackToVersion());
    return move(r, next, "rebased", "from version " + r.baseVersion() + " to " + live.version());
  }

  /**
   * A second operator approves: refused for the author ({@code 403 own_change}), after expiry
   * ({@code 409 change_expired}) and when the live version moved on ({@code 409 change_conflict},
   * noted in the history for the author to rebase). Goes live now, at a time, or as a release.
   */
  public synchronized ChangeRequest approve(String id, String actor, GoLive goLive) {
    ChangeRequest r = pending(id);
    notOwn(r, actor);
    ChangeKind kind = kinds.get(r.kind());
    if (kind.live().version() != r.baseVersion()) {
      repository.note(r.id(), event(actor, "conflict", "live is at version " + kind.live().version()));
      throw conflict(r, kind.live().version());
    }
    if (goLive.releaseMode() != null) return release(r, actor, goLive);
    if (goLive.atMillis() != null) {
      ChangeRequest next = withDecision(r, ChangeRequest.APPROVED, actor, goLive.atMillis(), null, null);
      return move(r, next, "approved", "goes live at " + Instant.ofEpochMilli(goLive.atMillis()));
    }
    return goLive(r, actor);
  }

  /** A second operator confirms an emergency change after the fact. */
  public synchronized ChangeRequest review(String id, String actor, String note) {
    ChangeRequest r = get(id);
    if (!r.reviewRequired()) throw ApiException.conflict("invalid_request_error", "review_not_required",
        "This change request needs no review", "id");
    notOwn(r, actor);
    ChangeRequest next = new ChangeRequest(r.id(), r.kind(), r.author(), r.reason(), r.proposed(), r.difference(), r.baseVersion(),
        r.status(), r.createdAtMillis(), r.expiresAtMillis(), r.decidedBy(), r.decidedAtMillis(), r.goLiveAtMillis(), r.releaseId(),
        r.liveVersion(), r.emergency(), false, actor, clock.millis(), r.rollbackToVersion());
    return move(r, next, "reviewed", note);
  }

  /**
   * Records a change made directly (an emergency write by a caller holding {@code changes.emergency})
   * as a request already live, flagged for review by a second person.
   */
  public synchronized ChangeRequest recordEmergency(String kindName, String actor, String summary, long baseVersion,
      Map<String, Object> configuration) {
    ChangeKind kind = kinds.get(kindName);
    ChangeKind.Live live = kind.live();
    long now = clock.millis();
    ChangeRequest r = new ChangeRequest(Ids.random("chg_"), kind.name(), actor, summary, configuration, Map.of(), baseVersion,
        ChangeRequest.LIVE, now, now, actor, now, null, null, live.version(), true, true, null, null, null);
    repository.insert(r, event(actor, "emergency", summary));
    supersede(r);
    return r;
  }

  /** Puts every approved request whose time has come live; returns how many went live. */
  public synchronized int runDue() {
    int live = 0;
    for (ChangeRequest r : repository.due(clock.millis(), DUE_PER_SWEEP_MAX)) {
      ChangeKind kind = kinds.get(r.kind());
      if (kind.live().version() != r.baseVersion()) {
        // Approved against a version that is no longer live: back to the author.
        ChangeRequest back = withDecision(r, ChangeRequest.PENDING, null, null, null, null);
        move(r, back, "conflict", "scheduled go-live found live at version " + kind.live().version() + "; rebase and approve again");
        continue;
      }
      try {
        onScheduledLive.accept(goLive(r, null));
        live++;
      } catch (ApiException e) {
        repository.note(r.id(), event("system", "failed", e.code() + ": " + e.getMessage()));
      }
    }
    for (ChangeRequest r : repository.list(ChangeRequest.PENDING, null, null, DUE_PER_SWEEP_MAX)) expireIfDue(r);
    return live;
  }

  /**
   * Applies the proposal, then records it live: a pending request approved by {@code approver}
   * now, or an approved one whose time came ({@code approver} null). When the kind refuses, the
   * request stays as it was (a conflict is noted in its history).
   */
  private ChangeRequest goLive(ChangeRequest from, String approver) {
    ChangeKind kind = kinds.get(from.kind());
    long version;
    try {
      version = kind.apply(from.proposed(), from.baseVersion(), from.author(), summary(from));
    } catch (ApiException e) {
      if ("change_conflict".equals(e.code())) repository.note(from.id(), event(approver == null ? "system" : approver, "conflict",
          e.getMessage()));
      throw e;
    }
    ChangeRequest live = approver == null ? withDecision(from, ChangeRequest.LIVE, from.decidedBy(), from.goLiveAtMillis(), null, version)
        : withDecision(from, ChangeRequest.LIVE, approver, null, null, version);
    move(from, live, approver == null ? "live" : "approved", "live as version " + version
        + (approver == null ? " (scheduled)" : ""));
    supersede(live);
    return live;
  }

  private ChangeRequest release(ChangeRequest r, String actor, GoLive goLive) {
    if (!PolicyChangeKind.NAME.equals(r.kind())) {
      throw ApiException.invalid("invalid_go_live", "Only a policy change can be released gradually", "go_live.release");
    }
    PolicyDocument candidate = PolicyDocuments.parse(r.proposed(), r.baseVersion() + 1, policies.compiler(), "proposed");
    String releaseId = releases.start(new ReleaseRequest(r.id(), candidate, r.baseVersion(), goLive.releaseMode(), goLive.percent(),
        actor));
    ChangeRequest next = withDecision(r, ChangeRequest.APPROVED, actor, null, releaseId, null);
    return move(r, next, "released", goLive.releaseMode().name().toLowerCase(Locale.ROOT) + " " + goLive.percent() + "% as "
        + releaseId);
  }

  /** Marks earlier live requests of the same kind superseded by this one. */
  private void supersede(ChangeRequest live) {
    for (ChangeRequest older : repository.list(ChangeRequest.LIVE, live.kind(), null, DUE_PER_SWEEP_MAX)) {
      if (older.id().equals(live.id()) || older.createdAtMillis() > live.createdAtMillis()) continue;
      move(older, withStatus(older, ChangeRequest.SUPERSEDED), "superseded", "by " + live.id());
    }
  }

  private ChangeRequest pending(String id) {
    ChangeRequest r = get(id);
    if (ChangeRequest.EXPIRED.equals(r.status())) {
      throw ApiException.conflict("invalid_request_error", "change_expired", "This change request expired unapproved; propose it again",
          "id");
    }
    if (!ChangeRequest.PENDING.equals(r.status())) {
      throw ApiException.conflict("invalid_request_error", "change_not_pending", "This change request is " + r.status()
          + ", not pending", "id");
    }
    return r;
  }

  private ChangeRequest expireIfDue(ChangeRequest r) {
    if (!ChangeRequest.PENDING.equals(r.status()) || clock.millis() < r.expiresAtMillis()) return r;
    ChangeRequest expired = withStatus(r, ChangeRequest.EXPIRED);
    return repository.update(expired, ChangeRequest.PENDING, event("system", "expired", null)) ? expired
        : repository.find(r.id()).orElseThrow();
  }

  private ChangeRequest move(ChangeRequest from, ChangeRequest to, String action, String note) {
    if (!repository.update(to, from.status(), event(actorOf(to, action), action, note))) {
      throw ApiException.conflict("invalid_request_error", "change_not_pending", "This change request changed meanwhile; read it again",
          "id");
    }
    return to;
  }

  private String actorOf(ChangeRequest to, String action) {
    return switch (action) {
      case "reviewed" -> to.reviewedBy();
      case "rebased", "withdrawn" -> to.author();
      case "superseded", "live", "conflict" -> "system";
      default -> to.decidedBy() == null ? "system" : to.decidedBy();
    };
  }

  private static void notOwn(ChangeRequest r, String actor) {
    if (r.author().equals(actor)) {
      throw ApiException.forbidden("own_change", "The author of a change cannot approve, reject or review it; a second operator must",
          "id");
    }
  }

  private static ApiException conflict(ChangeRequest r, long live) {
    return ApiException.conflict("invalid_request_error", "change_conflict", "The live " + r.kind() + " is at version " + live
        + ", not the version " + r.baseVersion() + " this change was drafted against; the author must rebase it"
        + " (POST /v1/change-requests/" + r.id() + "/rebase)", "base_version");
  }

  private static void checkReason(String reason) {
    if (reason == null || reason.isBlank()) throw ApiException.invalid("missing_field", "reason is required", "reason");
    if (reason.length() > REASON_CHARS_MAX) {
      throw ApiException.invalid("value_too_long", "reason is at most " + REASON_CHARS_MAX + " characters", "reason");
    }
  }

  private static String summary(ChangeRequest r) {
    String s = "change request " + r.id() + ": " + r.reason();
    return s.length() > 500 ? s.substring(0, 500) : s;
  }

  private ChangeRequest.Event event(String actor, String action, String note) {
    String n = note != null && note.length() > 1000 ? note.substring(0, 1000) : note;
    return new ChangeRequest.Event(0, clock.millis(), actor, action, n);
  }

  private ChangeRequest status(ChangeRequest r, String status, String actor) {
    return withDecision(r, status, actor, r.goLiveAtMillis(), r.releaseId(), r.liveVersion());
  }

  private ChangeRequest withDecision(ChangeRequest r, String status, String actor, Long goLiveAt, String releaseId, Long liveVersion) {
    return new ChangeRequest(r.id(), r.kind(), r.author(), r.reason(), r.proposed(), r.difference(), r.baseVersion(), status,
        r.createdAtMillis(), r.expiresAtMillis(), actor, actor == null ? null : clock.millis(), goLiveAt, releaseId, liveVersion,
        r.emergency(), r.reviewRequired(), r.reviewedBy(), r.reviewedAtMillis(), r.rollbackToVersion());
  }

  private static ChangeRequest withStatus(ChangeRequest r, String status) {
    return new ChangeRequest(r.id(), r.kind(), r.author(), r.reason(), r.proposed(), r.difference(), r.baseVersion(), status,
        r.createdAtMillis(), r.expiresAtMillis(), r.decidedBy(), r.decidedAtMillis(), r.goLiveAtMillis(), r.releaseId(), r.liveVersion(),
        r.emergency(), r.reviewRequired(), r.reviewedBy(), r.reviewedAtMillis(), r.rollbackToVersion());
  }
}
