package io.vigil.server.console.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rule's statistics as the rule page shows them: the API's answer of
 * {@code GET /v1/rules/{id}/stats}, with its ratios as percentages and its fires per day as the
 * bars of a small inline SVG chart (no script: the chart is drawn on the server).
 */
public record RuleStatsView(Map<String, Object> stats, List<Bar> bars, long firesMax) {
  /** Chart size in SVG user units. */
  public static final int CHART_WIDTH = 600;
  public static final int CHART_HEIGHT = 80;

  /** One day's bar: its place, height and title (the day and its fires). */
  public record Bar(double x, double y, double width, double height, String title) {}

  @SuppressWarnings("unchecked")
  public static RuleStatsView of(Map<String, Object> stats) {
    List<Map<String, Object>> trend = stats.get("trend") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    long max = 0;
    for (Map<String, Object> d : trend) max = Math.max(max, ((Number) d.get("fires")).longValue());
    List<Bar> bars = new ArrayList<>(trend.size());
    double width = trend.isEmpty() ? 0 : CHART_WIDTH / (double) trend.size();
    for (int i = 0; i < trend.size(); i++) {
      long fires = ((Number) trend.get(i).get("fires")).longValue();
      double h = max == 0 ? 0 : (CHART_HEIGHT - 2) * fires / (double) max;
      bars.add(new Bar(i * width, CHART_HEIGHT - h, Math.max(1, width - 1), h, trend.get(i).get("date") + ": " + fires + " fires"));
    }
    return new RuleStatsView(stats, bars, max);
  }

  /** A ratio of the answer as a percentage, or "n/a" when it has no denominator. */
  public String percent(String field) {
    return stats.get(field) instanceof Number n ? String.format("%.1f%%", 100 * n.doubleValue()) : "n/a";
  }

  public Object get(String field) {
    return stats.get(field);
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> coFiring() {
    return stats.get("co_firing") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> trend() {
    return stats.get("trend") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
