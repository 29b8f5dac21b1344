package io.vigil.server.change;

import java.util.Map;

/**
 * One kind of configuration that goes live only through an approved change request: the policy
 * (rules, scorecards, thresholds, weights, limits, challenge and hold policies), bulk list changes,
 * reference-data reloads, model promotions, monitoring scenarios. The change-request service
 * keeps the draft, its author, reason, approvals and history; a kind knows only its own
 * configuration: what is live, whether a proposal is valid, what it changes, and how to put it
 * live atomically. Each kind is a Spring bean; the service finds them all by {@link #name()}.
 */
public interface ChangeKind {
  /** Stable name used in the API and the register, e.g. {@code policy}, {@code monitoring_scenarios}. */
  String name();

  /** The live configuration of this kind, as JSON-ready values, with the version it is at. */
  Live live();

  /**
   * Refuses an invalid proposal with an {@code ApiException} naming the offending field (as a
   * path inside {@code proposed}); returns normally when the proposal could go live.
   */
  void validate(Map<String, Object> proposed);

  /** The difference between the live configuration and the proposal, for the approver to read. */
  Map<String, Object> difference(Map<String, Object> proposed);

  /**
   * Puts the proposal live as one new version, atomically, if the live version is still
   * {@code baseVersion}; otherwise refuses with {@code 409 change_conflict} and changes nothing.
   * Returns the new live version.
   */
  long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary);

  /** What is live now. */
  record Live(long version, Map<String, Object> configuration) {}
}
