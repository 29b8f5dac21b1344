package io.vigil.server.decision;

import io.vigil.server.journal.JournalRow;
import io.vigil.server.outcome.FinalOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;

/** CSV rows of the decisions download (RFC 4180 quoting; formula-leading cells neutralized). */
final class DecisionCsv {
  static final String HEADER = "decision_id,event_id,sequence,recorded_at,occurred_at,type,account_id,merchant_id,"
      + "amount_minor,currency,action,final_action,settled_by,settled_at,waiting_for,score,risk_level\r\n";

  private DecisionCsv() {}

  /** One row; {@code waiting_for} joins its items with {@code ;}. */
  static void write(Writer out, JournalRow row, FinalOutcome outcome) {
    try {
      var r = row.record();
      out.write(cell(r.decisionId()) + "," + cell(r.eventId()) + "," + r.sequence() + ","
          + Instant.ofEpochMilli(r.recordedAtMillis()) + "," + Instant.ofEpochMilli(row.occurredAtMillis()) + ","
          + row.eventType() + "," + cell(row.accountId()) + "," + cell(row.merchantId()) + ","
          + (row.amountMinor() == null ? "" : row.amountMinor()) + "," + (row.currency() == null ? "" : row.currency()) + ","
          + row.action() + "," + outcome.finalAction() + "," + (outcome.settledBy() == null ? "" : outcome.settledBy()) + ","
          + (outcome.settledAtMillis() == 0 ? "" : Instant.ofEpochMilli(outcome.settledAtMillis())) + ","
          + String.join(";", outcome.waitingFor()) + "," + row.score() + "," + row.riskLevel() + "\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Quotes a cell; a leading = + - @ gets a ' so spreadsheets do not run it as a formula. */
  static String cell(String value) {
    if (value == null) return "";
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) v = "'" + v;
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || !v.equals(value)) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
