package io.vigil.server.perf;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionJson;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.privacy.SealedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.context.ConfigurableApplicationContext;

/** The filler's synthetic mode (see {@link JournalFiller}): journal rows written in bulk, chained and indexed as the server does. */
final class SyntheticJournal {
  private static final int BATCH_ROWS = 5_000;
  private static final int TEMPLATES_MAX = 50_000;

  private SyntheticJournal() {}

  private record Template(Map<String, Object> event, String responseJson) {}

  static void write(ConfigurableApplicationContext context, String templatesSchema, long rows, int accounts, Instant start,
      long spanMillis) throws SQLException {
    if (templatesSchema == null || !templatesSchema.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("--templates-schema: the schema of a live fill to take decisions from");
    }
    HikariDataSource ds = context.getBean(HikariDataSource.class);
    JournalPrivacy privacy = context.getBean(JournalPrivacy.class);
    List<Template> templates = templates(ds, templatesSchema);
    if (templates.isEmpty()) throw new IllegalStateException("no decisions without personal data in schema " + templatesSchema);
    try (Connection c = ds.getConnection()) {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM decisions")) {
        r.next();
        if (r.getLong(1) != 0) throw new IllegalStateException("the synthetic journal goes into an empty store; this one has rows");
      }
      partitions(c, start, spanMillis);
      c.setAutoCommit(false);
      SplittableRandom random = new SplittableRandom(42);
      String previous = HashChain.GENESIS;
      List<JournalRow> batch = new ArrayList<>(BATCH_ROWS);
      List<DecisionRules.Fired> fired = new ArrayList<>(BATCH_ROWS);
      long t0 = System.nanoTime();
      for (long sequence = 1; sequence <= rows; sequence++) {
        Template t = templates.get(random.nextInt(templates.size()));
        long recordedAt = start.toEpochMilli() + spanMillis * (sequence - 1) / rows;
        String eventId = "syn_" + Long.toString(sequence, 36);
        String decisionId = String.format("dec_%011x%016x", recordedAt, sequence);
        Map<String, Object> event = new LinkedHashMap<>(t.event());
        event.put("event_id", eventId);
        event.put("account_id", "acc_" + JournalFiller.account(random, accounts));
        event.put("occurred_at", Instant.ofEpochMilli(recordedAt - random.nextInt(2_000)).toString());
        String eventJson = Json.canonical(event);
        Map<String, Object> response = Json.readMap(t.responseJson());
        response.put("decision_id", decisionId);
        response.put("event_id", eventId);
        String responseJson = Json.write(response);
        long policyVersion = ((Number) response.get("policy_version")).longValue();
        String requestHash = privacy.requestHash(eventJson);
        String hash = HashChain.hash(previous, sequence, decisionId, eventId, recordedAt, policyVersion, requestHash, eventJson,
            responseJson);
        JournalRecord record = new JournalRecord(sequence, decisionId, eventId, recordedAt, policyVersion, requestHash, eventJson,
            responseJson, previous, hash);
        batch.add(DecisionJson.derive(record));
        fired.add(new DecisionRules.Fired(sequence, DecisionRules.ruleIds(response)));
        previous = hash;
        if (batch.size() == BATCH_ROWS || sequence == rows) {
          JournalRepository.insertBatch(c, batch);
          DecisionRules.insertAll(c, fired);
          c.commit();
          batch.clear();
          fired.clear();
          if (sequence % 250_000 == 0 || sequence == rows) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("synthetic: %,d of %,d rows (%.0f/s), at %s%n", sequence, rows, sequence / seconds,
                Instant.ofEpochMilli(recordedAt));
          }
        }
      }
    }
  }

  /** Decisions of the live fill whose event holds no personal field: their JSON, stripped of nothing. */
  private static List<Template> templates(HikariDataSource ds, String schema) throws SQLException {
    List<Template> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT event_json, response_json FROM " + schema + ".decisions ORDER BY sequence LIMIT ?")) {
      p.setInt(1, TEMPLATES_MAX);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String eventJson = r.getString(1);
          if (eventJson.contains("\"" + SealedEvent.KEY + "\"")) continue;
          out.add(new Template(Json.readMap(eventJson), r.getString(2)));
        }
      }
    }
    return out;
  }

  /** The monthly partitions the rows fall in (PostgreSQL's journal is partitioned by month). */
  private static void partitions(Connection c, Instant start, long spanMillis) throws SQLException {
    ZonedDateTime month = start.atZone(ZoneOffset.UTC).withDayOfMonth(1);
    Instant end = start.plusMillis(spanMillis);
    while (!month.toInstant().isAfter(end)) {
      try (PreparedStatement p = c.prepareStatement("SELECT vigil_journal_partition(?)")) {
        p.setLong(1, Math.max(month.toInstant().toEpochMilli(), start.toEpochMilli()));
        p.executeQuery().close();
      }
      month = month.plusMonths(1);
    }
  }
}
