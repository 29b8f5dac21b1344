package io.vigil.server.reports;

import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.money.Money;
import io.vigil.server.api.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every single money-moving transaction over the threshold in a period. A transaction whose
 * beneficiary lacks a valid SWIFT BIC, or whose amount no exchange rate converts, is listed as
 * invalid with its reason: it cannot go into a large-value report until it is corrected.
 */
public final class LargeValueReport {
  /** Rows one report lists at most, valid and invalid together. */
  public static final int ROWS_MAX = 100_000;
  static final List<String> COLUMNS = List.of("decision_id", "occurred_at", "event_type", "account_id", "amount", "currency",
      "amount_threshold_currency", "beneficiary_bic", "beneficiary_country", "action", "status", "problem");

  private final ReportTransactions transactions;
  private final Supplier<ExchangeRates> rates;
  private final ReportsProperties.LargeValue settings;

  public LargeValueReport(ReportTransactions transactions, Supplier<ExchangeRates> rates, ReportsProperties.LargeValue settings) {
    this.transactions = transactions;
    this.rates = rates;
    this.settings = settings;
  }

  public ReportsProperties.LargeValue settings() {
    return settings;
  }

  /** Valid rows first, then the invalid ones; each in journal order. */
  public ReportTable build(PeriodReports.Period period) {
    ExchangeRates r = rates.get();
    String cur = settings.currency();
    List<List<String>> valid = new ArrayList<>();
    List<List<String>> invalid = new ArrayList<>();
    transactions.forEachIn(period.fromMillis(), period.toMillis(), t -> {
      if (!t.hasAmount()) return;
      long converted = r.convertMinor(t.amountMinor(), t.currency(), cur);
      String problem = null;
      if (converted == ExchangeRates.UNKNOWN) {
        problem = "no exchange rate converts " + t.currency() + " to " + cur;
      } else if (converted <= settings.thresholdMinor()) {
        return;
      } else {
        problem = Bic.problem(t.beneficiaryBic());
      }
      List<String> row = List.of(t.decisionId(), Instant.ofEpochMilli(t.occurredAtMillis()).toString(), t.eventType(), t.accountId(),
          Money.major(t.amountMinor(), t.currency()).toPlainString(), t.currency(),
          converted == ExchangeRates.UNKNOWN ? "" : Money.major(converted, cur).toPlainString(), nz(t.beneficiaryBic()),
          nz(t.destinationCountry()), t.action(), problem == null ? "valid" : "invalid", nz(problem));
      if (valid.size() + invalid.size() == ROWS_MAX) {
        throw ApiException.unprocessable("report_too_large", "A large-value report lists at most " + ROWS_MAX
            + " transactions: choose a shorter period", "from");
      }
      (problem == null ? valid : invalid).add(row);
    });
    List<List<String>> rows = new ArrayList<>(valid);
    rows.addAll(invalid);
    return new ReportTable("Large-value transactions over " + Money.major(settings.thresholdMinor(), cur).toPlainString() + " " + cur + ", "
        + period.from() + " to " + period.to(), COLUMNS, rows);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
