package io.vigil.server.reports;

import io.vigil.server.api.ApiException;
import io.vigil.server.cases.CaseView;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.privacy.JournalPrivacy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads journaled decisions as report transactions: a case's, or every one in a period. */
public final class ReportTransactions {
  /** Decisions one period report reads at most; a longer period is refused (split it). */
  public static final int PERIOD_DECISIONS_MAX = 500_000;
  /** Decisions one case report carries at most (goAML readers choke on huge files). */
  public static final int CASE_DECISIONS_MAX = 5_000;
  private static final int PAGE_ROWS = 1_000;

  private final JournalRepository journal;
  private final JournalPrivacy privacy;

  public ReportTransactions(JournalRepository journal, JournalPrivacy privacy) {
    this.journal = journal;
    this.privacy = privacy;
  }

  /** The case's decisions that moved money (an amount and a currency), oldest first. */
  public List<ReportTransaction> ofCase(CaseView view) {
    if (view.decisions().size() > CASE_DECISIONS_MAX) {
      throw ApiException.unprocessable("report_too_large", "A report carries at most " + CASE_DECISIONS_MAX + " transactions", null);
    }
    List<ReportTransaction> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (CaseView.LinkedDecision d : view.decisions()) {
      if (!seen.add(d.decisionId())) continue; // a decision linked for two origins is one transaction
      journal.findByDecisionId(d.decisionId()).map(this::of).filter(ReportTransaction::hasAmount).ifPresent(out::add);
    }
    out.sort((a, b) -> Long.compare(a.occurredAtMillis(), b.occurredAtMillis()));
    return out;
  }

  /** Every decision that occurred in [fromMillis, toMillis), in journal order. */
  public void forEachIn(long fromMillis, long toMillis, Consumer<ReportTransaction> sink) {
    JournalRepository.Filter f = new JournalRepository.Filter(null, null, null, fromMillis, toMillis, null, null, null, null, null,
        null, null, null);
    long after = 0;
    int read = 0;
    while (true) {
      List<JournalRow> page = journal.queryAfter(f, after, PAGE_ROWS);
      for (JournalRow row : page) {
        if (++read > PERIOD_DECISIONS_MAX) {
          throw ApiException.unprocessable("report_too_large", "A period report reads at most " + PERIOD_DECISIONS_MAX
              + " decisions: choose a shorter period", "from");
        }
        sink.accept(of(row));
        after = row.record().sequence();
      }
      if (page.size() < PAGE_ROWS) return;
    }
  }

  ReportTransaction of(JournalRow row) {
    Map<String, Object> event = privacy.openEvent(row.record().eventJson(), JournalPrivacy.Reading.DISPLAY);
    Map<?, ?> attributes = event.get("attributes") instanceof Map<?, ?> a ? a : Map.of();
    String beneficiaryCountry = text(attributes.get("beneficiary_country"));
    if (beneficiaryCountry == null) beneficiaryCountry = text(attributes.get("counterparty_country"));
    return new ReportTransaction(row.record().decisionId(), row.record().eventId(), row.eventType(), row.occurredAtMillis(),
        row.accountId(), text(event.get("account_country")), row.amountMinor() == null ? 0 : row.amountMinor(), row.currency(),
        row.action(), text(event.get("counterparty_id")), text(attributes.get("beneficiary_name")),
        text(attributes.get("beneficiary_account")), text(attributes.get("beneficiary_bic")), beneficiaryCountry,
        text(attributes.get("ip_country")));
  }

  private static String text(Object v) {
    return v instanceof String s && !s.isEmpty() ? s : null;
  }
}
