package io.vigil.server.cases;

import java.util.List;

/**
 * Told of a case's life after each change has committed (notifications, webhooks, measures). A
 * listener must not throw into the caller: a failure is its own to log and retry.
 */
public interface CaseListener {
  /** A decision opened a new case ({@code created}) or joined an open one. */
  default void opened(CaseRecord c, CaseTrigger trigger, boolean created) {}

  /** The case was assigned to someone (null: unassigned). */
  default void assigned(CaseRecord c) {}

  /** The case was escalated, by a person or by its breached deadline. */
  default void escalated(CaseRecord c, String why) {}

  /** The case was closed with its verdict. */
  default void closed(CaseRecord c) {}

  /** The case was reopened (an approved request or an appeal). */
  default void reopened(CaseRecord c) {}

  /** The case's warning time (due time less its queue's warning lead) passed while it was open; told once. */
  default void slaWarning(CaseRecord c) {}

  /** The case's due time passed while it was open; told once, before it is escalated. */
  default void slaBreached(CaseRecord c) {}

  /**
   * Every effect of the verdict the case was closed with has been applied (labels, holds,
   * restrictions, list entries). {@code settledDecisionIds}: the held decisions the verdict settled
   * (released or denied), whose final outcome is now known.
   */
  default void verdictApplied(CaseRecord c, List<String> settledDecisionIds) {}
}
