package io.vigil.server.policy.stats;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Params;
import io.vigil.server.policy.PolicyService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rule reviews: a person with {@code changes.approve} records that a rule was looked at (keep,
 * change or retire it, with a note). A rule is due for review when neither a review nor a change
 * of it happened within the review period ({@code vigil.rule-stats.review-days}, 90 by default).
 * Like an approval, a review needs a second person: the author of the rule's last change may not
 * review it (their change counts as their look at the rule already).
 */
public final class RuleReviews {
  public static final Set<String> OUTCOMES = Set.of("keep", "change", "retire");
  /** Longest note, in characters. */
  public static final int NOTE_CHARS_MAX = 2_000;
  /** Reviews listed per rule, newest first. */
  public static final int REVIEWS_LISTED_MAX = 100;
  private static final Set<String> FIELDS = Set.of("outcome", "note");

  private final RuleReviewRepository repository;
  private final RuleChanges changes;
  private final PolicyService policies;
  private final Clock clock;
  private final Duration period;

  public RuleReviews(RuleReviewRepository repository, RuleChanges changes, PolicyService policies, Clock clock, Duration period) {
    if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("the review period must be positive, not " + period);
    this.repository = repository;
    this.changes = changes;
    this.policies = policies;
    this.clock = clock;
    this.period = period;
  }

  public long periodDays() {
    return period.toDays();
  }

  /** A rule's review state: its last review and change, when it is due, whether it is due now. */
  public record Status(String ruleId, RuleReviewRepository.Review lastReview, RuleChanges.Change lastChange, long dueAtMillis,
      boolean needsReview) {}

  /** The review state of these rules (one page of the list, or one rule). */
  public Map<String, Status> status(List<String> ruleIds) {
    Map<String, RuleReviewRepository.Review> reviews = repository.latest(ruleIds);
    Map<String, RuleChanges.Change> changed = changes.lastChanges(ruleIds);
    long now = clock.millis();
    Map<String, Status> out = new LinkedHashMap<>();
    for (String id : ruleIds) {
      RuleReviewRepository.Review r = reviews.get(id);
      RuleChanges.Change c = changed.get(id);
      long since = Math.max(r == null ? Long.MIN_VALUE : r.reviewedAtMillis(), c == null ? Long.MIN_VALUE : c.atMillis());
      long due = since == Long.MIN_VALUE ? now : since + period.toMillis();
      out.put(id, new Status(id, r, c, due, now >= due));
    }
    return out;
  }

  public Status status(String ruleId) {
    return status(List.of(ruleId)).get(ruleId);
  }

  /** Records a review of the rule from a {"outcome": ..., "note": ...} body, by {@code actor}. */
  public RuleReviewRepository.Review record(String ruleId, Map<String, Object> body, String actor) {
    Params.checkFields(body, FIELDS, "");
    String outcome = Params.string(body, "outcome", true, 16);
    if (!OUTCOMES.contains(outcome)) throw ApiException.invalid("invalid_outcome", "outcome is keep, change or retire", "outcome");
    String note = Params.string(body, "note", true, NOTE_CHARS_MAX);
    if (policies.rule(ruleId).isEmpty()) throw ApiException.notFound("rule_not_found", "No rule with this id", "id");
    RuleChanges.Change last = changes.lastChanges(List.of(ruleId)).get(ruleId);
    if (last != null && last.by().equals(actor)) {
      throw ApiException.forbidden("own_change_review",
          "The author of the rule's last change may not review it; another person with changes.approve does", "id");
    }
    RuleReviewRepository.Review review = new RuleReviewRepository.Review(Ids.random("rrev_"), ruleId, outcome, note.strip(), actor,
        clock.millis(), policies.document().version());
    repository.insert(review);
    return review;
  }

  public List<RuleReviewRepository.Review> history(String ruleId) {
    return repository.history(ruleId, REVIEWS_LISTED_MAX);
  }

  /** A review as the API answers it. */
  public static Map<String, Object> json(RuleReviewRepository.Review r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("review_id", r.reviewId());
    m.put("rule_id", r.ruleId());
    m.put("outcome", r.outcome());
    m.put("note", r.note());
    m.put("reviewed_by", r.reviewedBy());
    m.put("reviewed_at", Instant.ofEpochMilli(r.reviewedAtMillis()).toString());
    m.put("policy_version", r.policyVersion());
    return m;
  }

  /** A review state as the API answers it. */
  public Map<String, Object> json(Status s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("needs_review", s.needsReview());
    m.put("review_due_at", Instant.ofEpochMilli(s.dueAtMillis()).toString());
    m.put("review_period_days", periodDays());
    m.put("last_review", s.lastReview() == null ? null : json(s.lastReview()));
    Map<String, Object> change = null;
    if (s.lastChange() != null) {
      change = new LinkedHashMap<>();
      change.put("policy_version", s.lastChange().version());
      change.put("changed_at", Instant.ofEpochMilli(s.lastChange().atMillis()).toString());
      change.put("changed_by", s.lastChange().by());
    }
    m.put("last_change", change);
    return m;
  }
}
