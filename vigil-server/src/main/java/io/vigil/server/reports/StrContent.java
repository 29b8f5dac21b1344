package io.vigil.server.reports;

import java.util.List;

/**
 * What one goAML report says: its code (STR, SAR …), the reporting entity's reference for it, why
 * and what was done, its transactions (each with its amount in the local currency, -1 when no rate
 * converts it) and the indicators.
 */
public record StrContent(String reportCode, String entityReference, long submissionMillis, String reason, String action,
    List<Item> transactions, List<String> indicators) {
  public StrContent {
    transactions = List.copyOf(transactions);
    indicators = List.copyOf(indicators);
  }

  /** A transaction and its amount in minor units of the local currency (-1: no exchange rate). */
  public record Item(ReportTransaction transaction, long amountLocalMinor) {}
}
