package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios Vigil ships and their parameters. Amounts are in minor units of the operator's
 * currency; windows are no longer than the history the monitor keeps ({@link MonitorState#HISTORY_MILLIS}).
 */
public final class ScenarioCatalog {
  public static final String STRUCTURING = "structuring";
  public static final String FAN_IN = "fan_in";
  public static final String FAN_OUT = "fan_out";
  public static final String PASS_THROUGH = "pass_through";
  public static final String CYCLE = "cycle";
  public static final String SHARED_IDENTITY = "shared_identity";
  public static final String NONRESIDENT_PROXY = "nonresident_proxy";
  public static final String DORMANT_REACTIVATION = "dormant_reactivation";
  public static final String ACTIVITY_SPIKE = "activity_spike";
  public static final String LARGE_CASH = "large_cash";

  static final long AMOUNT_MINOR_MAX = 1_000_000_000_000L;
  static final long WINDOW_DAYS_MAX = 90;
  static final long COOLDOWN_HOURS_MAX = 24 * 365;

  static {
    assert WINDOW_DAYS_MAX * 86_400_000L < MonitorState.HISTORY_MILLIS : "windows fit in the history";
  }

  private static final List<ScenarioDefinition> ALL = List.of(
      def(STRUCTURING, "Several amounts just under a reporting threshold within days, per account and across accounts linked by device, phone or identity",
          p("threshold_minor", 1_000_000, 100, AMOUNT_MINOR_MAX, "the reporting threshold"),
          p("margin_percent", 10, 1, 50, "how far under the threshold counts as just under"),
          p("count_min", 3, 2, 100, "amounts just under the threshold that alert"),
          p("window_days", 7, 1, WINDOW_DAYS_MAX, "the window")),
      def(FAN_IN, "Many distinct counterparties paying into one account within a window, far more than its own history",
          p("counterparties_min", 10, 2, 1_000, "distinct senders in the window that alert"),
          p("window_days", 7, 1, 30, "the window"),
          p("baseline_windows", 4, 1, 8, "earlier windows the account's usual count is averaged over"),
          p("history_factor", 3, 1, 100, "how many times the usual count alerts")),
      def(FAN_OUT, "One account paying many distinct counterparties within a window, far more than its own history",
          p("counterparties_min", 10, 2, 1_000, "distinct receivers in the window that alert"),
          p("window_days", 7, 1, 30, "the window"),
          p("baseline_windows", 4, 1, 8, "earlier windows the account's usual count is averaged over"),
          p("history_factor", 3, 1, 100, "how many times the usual count alerts")),
      def(PASS_THROUGH, "Money received and sent on within hours, most of the amount",
          p("window_hours", 24, 1, 24 * 7, "the window"),
          p("min_amount_minor", 500_000, 1, AMOUNT_MINOR_MAX, "the least amount received that counts"),
          p("out_percent", 80, 1, 100, "the share of what came in that went out")),
      def(CYCLE, "Money back at its origin through 2 to 6 hops within days; the evidence is the path",
          p("window_days", 14, 1, WINDOW_DAYS_MAX, "the window"),
          p("hops_min", 2, 2, 6, "the fewest hops"),
          p("hops_max", 6, 2, 6, "the most hops"),
          p("min_amount_minor", 100_000, 1, AMOUNT_MINOR_MAX, "the least amount of each hop")),
      def(SHARED_IDENTITY, "Many accounts on one device, phone or identity within a window",
          p("accounts_min", 5, 2, 1_000, "distinct accounts that alert"),
          p("window_days", 7, 1, WINDOW_DAYS_MAX, "the window")),
      def(NONRESIDENT_PROXY, "A non-resident on a proxy or VPN exiting in the home market (decisions the rule nonresident_local_proxy fired on)",
          p("count_min", 1, 1, 100, "such decisions that alert"),
          p("window_days", 30, 1, WINDOW_DAYS_MAX, "the window")),
      def(DORMANT_REACTIVATION, "An account silent for months suddenly moving money",
          p("dormant_days", 90, 7, WINDOW_DAYS_MAX, "silence that makes an account dormant"),
          p("min_amount_minor", 100_000, 1, AMOUNT_MINOR_MAX, "the least amount that counts")),
      def(ACTIVITY_SPIKE, "A day's outgoing amount far above the account's own daily average",
          p("baseline_days", 30, 7, WINDOW_DAYS_MAX - 1, "the days the average is taken over"),
          p("factor", 10, 2, 1_000, "how many times the average alerts"),
          p("history_count_min", 5, 1, 1_000, "earlier movements needed before the account has a baseline"),
          p("min_amount_minor", 100_000, 1, AMOUNT_MINOR_MAX, "the least day total that counts")),
      def(LARGE_CASH, "Cash-like movements (withdrawals) above a threshold within a day (e.g. Tk 10 lakh)",
          p("threshold_minor", 1_000_000, 100, AMOUNT_MINOR_MAX, "the day total that alerts")));

  private ScenarioCatalog() {}

  public static List<ScenarioDefinition> all() {
    return ALL;
  }

  /** The definition with this id, or null. */
  public static ScenarioDefinition find(String id) {
    for (ScenarioDefinition d : ALL) {
      if (d.id().equals(id)) return d;
    }
    return null;
  }

  private static ScenarioDefinition def(String id, String description, Param... params) {
    List<Param> all = new ArrayList<>(List.of(params));
    all.add(p("cooldown_hours", 168, 0, COOLDOWN_HOURS_MAX, "after an alert, how long the same account and scenario raise no new one"));
    return new ScenarioDefinition(id, description, all);
  }

  private static Param p(String name, long defaultValue, long min, long max, String description) {
    return new Param(name, defaultValue, min, max, description);
  }
}
