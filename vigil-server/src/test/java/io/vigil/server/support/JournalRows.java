package io.vigil.server.support;

import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Hash-chained journal rows written straight to a store, as someone with database access could. */
public final class JournalRows {
  private JournalRows() {}

  /** A payment row chained to {@code previous}; {@code tag} varies its content (a forger's change). */
  public static JournalRow row(long seq, String previous, String tag) {
    String decisionId = String.format("dec_%016x", seq);
    String eventId = "e" + seq + tag;
    long occurredAt = TestClock.INSTANCE.millis() - 3_600_000L + seq * 1_000L;
    String eventJson = Json.canonical(Map.of("event_id", eventId, "type", "payment", "occurred_at",
        Instant.ofEpochMilli(occurredAt).toString(), "account_id", "acc" + tag, "amount", 100, "currency", "USD"));
    String response = Json.write(Map.of("decision_id", decisionId, "action", "ALLOW", "score", 0, "risk_level", "low"));
    String hash = HashChain.hash(previous, seq, decisionId, eventId, occurredAt, 1, "h" + seq, eventJson, response);
    return new JournalRow(new JournalRecord(seq, decisionId, eventId, occurredAt, 1, "h" + seq, eventJson, response, previous, hash),
        "payment", "acc" + tag, null, occurredAt, "ALLOW", 0, "low", 100L, "USD");
  }

  /** Rows {@code from} to {@code to}, the first chained to {@code previous}. */
  public static List<JournalRow> chain(long from, long to, String previous, String tag) {
    List<JournalRow> rows = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      JournalRow r = row(s, previous, tag);
      rows.add(r);
      previous = r.record().hash();
    }
    return rows;
  }

  public static void write(DataSource ds, List<JournalRow> rows) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      JournalRepository.insertBatch(c, rows);
      c.commit();
    }
  }

  public static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The hash of the row with this sequence, as stored. */
  public static String hashAt(JournalRepository journal, long sequence) {
    return journal.findBySequence(sequence).orElseThrow().record().hash();
  }
}
