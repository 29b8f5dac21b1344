package io.vigil.engine.evaluation;

import io.vigil.engine.policy.Action;

/**
 * What a set of thresholds does to traffic whose truth is known (R5, P3, P4). An event is
 * <i>intercepted</i> when its action is anything but ALLOW.
 *
 * @param interceptionRate fraud intercepted / all fraud (R5's "suspected-fraud interception")
 * @param denyRate events denied / all events
 * @param reviewRate events sent to REVIEW / all events (P4: keep it small)
 * @param challengeRate events challenged / all events
 * @param falseInterceptionRate legitimate events among the intercepted / all intercepted (P3)
 * @param legitimateInterceptedRate legitimate events intercepted / all legitimate events
 */
public record InterceptionMetrics(long events, long fraud, long intercepted, double interceptionRate, double denyRate,
    double reviewRate, double challengeRate, double falseInterceptionRate, double legitimateInterceptedRate) {

  public static InterceptionMetrics of(Action[] actions, boolean[] fraud) {
    if (actions.length != fraud.length) throw new IllegalArgumentException("one label per action");
    long frauds = 0, intercepted = 0, fraudIntercepted = 0, denied = 0, reviewed = 0, challenged = 0;
    for (int i = 0; i < actions.length; i++) {
      Action a = actions[i];
      if (fraud[i]) frauds++;
      if (a == Action.DENY) denied++;
      if (a == Action.REVIEW) reviewed++;
      if (a == Action.CHALLENGE) challenged++;
      if (a != Action.ALLOW) {
        intercepted++;
        if (fraud[i]) fraudIntercepted++;
      }
    }
    long n = actions.length, legit = n - frauds;
    return new InterceptionMetrics(n, frauds, intercepted, ratio(fraudIntercepted, frauds), ratio(denied, n),
        ratio(reviewed, n), ratio(challenged, n), ratio(intercepted - fraudIntercepted, intercepted),
        ratio(intercepted - fraudIntercepted, legit));
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
