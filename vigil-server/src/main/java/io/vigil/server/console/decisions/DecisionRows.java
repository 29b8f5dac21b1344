package io.vigil.server.console.decisions;

import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Journal rows as the console's tables and charts show them: the stored columns, the amount in
 * major units of its currency, and the ids of the rules that gave a reason (read from the stored
 * response, which keeps rule ids in the clear). The accounts screen shows decisions the same way.
 */
public final class DecisionRows {
  /** Rule ids listed per row; the decision's page lists them all. */
  static final int RULES_SHOWN_MAX = 8;

  private DecisionRows() {}

  /** One row of a decisions table. */
  public record Row(long sequence, String decisionId, String time, String accountId, String merchantId, String type,
      String amount, String action, int score, String riskLevel, List<String> rules) {}

  public static Row of(JournalRow row) {
    var r = row.record();
    return new Row(r.sequence(), r.decisionId(), Instant.ofEpochMilli(row.occurredAtMillis()).toString(), row.accountId(),
        row.merchantId(), row.eventType(), money(row.amountMinor(), row.currency()), row.action(), row.score(), row.riskLevel(),
        rules(r.responseJson()));
  }

  public static List<Row> of(List<JournalRow> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (JournalRow row : rows) out.add(of(row)); // bounded by the page the caller read
    return out;
  }

  /** The rows as the timeline chart reads them (time, action, score, id, amount), oldest first. */
  public static String timelineJson(List<Row> newestFirst) {
    List<Map<String, Object>> points = new ArrayList<>(newestFirst.size());
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Row row = newestFirst.get(i);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("time", row.time());
      p.put("action", row.action());
      p.put("score", row.score());
      p.put("decision_id", row.decisionId());
      p.put("amount", row.amount());
      points.add(p);
    }
    return Json.write(points);
  }

  /** "12.50 USD" from minor units, by the currency's digits; empty without an amount. */
  public static String money(Long amountMinor, String currency) {
    if (amountMinor == null) return "";
    if (currency == null) return amountMinor.toString();
    int digits;
    try {
      digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    } catch (IllegalArgumentException unknown) {
      digits = 0;
    }
    return BigDecimal.valueOf(amountMinor, digits).toPlainString() + " " + currency;
  }

  @SuppressWarnings("unchecked")
  private static List<String> rules(String responseJson) {
    Object reasons = Json.readMap(responseJson).get("reasons");
    if (!(reasons instanceof List<?> list)) return List.of();
    List<String> ids = new ArrayList<>(Math.min(list.size(), RULES_SHOWN_MAX));
    for (Object reason : list) {
      if (ids.size() == RULES_SHOWN_MAX) break;
      if (reason instanceof Map<?, ?> m && m.get("rule_id") instanceof String id && !ids.contains(id)) ids.add(id);
    }
    return ids;
  }
}
