package io.vigil.server.notify;

import java.util.List;
import java.util.Set;

/**
 * The events a webhook endpoint can subscribe to. {@value #ALL} subscribes to every type, present
 * and future.
 */
public final class WebhookEventTypes {
  /** A case was opened (a decision joined no open case). */
  public static final String CASE_OPENED = "case.opened";
  /** A case was closed with a verdict. */
  public static final String CASE_CLOSED = "case.closed";
  /** A case's warning time (its due time less its queue's warning lead) passed while it was open. */
  public static final String CASE_SLA_WARNING = "case.sla_warning";
  /** A case passed its due time without being closed. */
  public static final String CASE_SLA_BREACHED = "case.sla_breached";
  /** A verdict settled a held payment: its final outcome (released or denied). */
  public static final String DECISION_FINAL_OUTCOME = "decision.final_outcome";
  /** A gray release or shadow policy stopped (by a person or by the release guard). */
  public static final String RELEASE_STOPPED = "release.stopped";
  /** Every event type. */
  public static final String ALL = "*";
  /** The types, in the order the documentation lists them. */
  public static final List<String> TYPES = List.of(CASE_OPENED, CASE_CLOSED, CASE_SLA_WARNING, CASE_SLA_BREACHED, DECISION_FINAL_OUTCOME,
      RELEASE_STOPPED);
  /** Subscriptions an endpoint may list at most: each type once, or {@value #ALL}. */
  public static final int SUBSCRIPTIONS_MAX = 16;

  private static final Set<String> KNOWN = Set.copyOf(TYPES);

  static {
    if (SUBSCRIPTIONS_MAX < TYPES.size() + 1) throw new AssertionError("room for every type and *");
  }

  private WebhookEventTypes() {}

  /** Whether an endpoint may subscribe to this ({@link #ALL} included). */
  public static boolean isSubscribable(String type) {
    return ALL.equals(type) || KNOWN.contains(type);
  }

  /** Whether events of this type are published. */
  public static boolean isKnown(String type) {
    return KNOWN.contains(type);
  }

  /** Whether an endpoint with these subscriptions receives this type. */
  static boolean matches(Set<String> subscriptions, String type) {
    return subscriptions.contains(ALL) || subscriptions.contains(type);
  }
}
