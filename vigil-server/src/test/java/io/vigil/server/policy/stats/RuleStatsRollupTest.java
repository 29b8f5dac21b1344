package io.vigil.server.policy.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.Sql;
import io.vigil.server.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The roll-up on each store (embedded H2 and real PostgreSQL), over journal rows written straight
 * into the tables: exact totals over many batches, a pass that fails half-way leaves nothing behind
 * and the next one counts its rows once, and the time a roll-up takes (printed, for the docs).
 */
class RuleStatsRollupTest {
  private static final long DAY_MILLIS = 86_400_000L;
  private static final long START_MILLIS = 20_500 * DAY_MILLIS + 3_600_000L;
  private static final int DECISIONS = 20_000;
  private static final int DAYS = 4;
  private static final int ACCOUNTS = 500;

  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  /**
   * Decision i: day i % DAYS, account i % ACCOUNTS, REVIEW when i % 10 == 0 (else ALLOW); rule
   * "every" on all, "even" on even i, "tenth" on i % 10 == 0.
   */
  private static void journal(HikariDataSource ds, int from, int to) throws SQLException {
    String decision = "INSERT INTO decisions (sequence, decision_id, event_id, event_type, account_id, merchant_id, occurred_at_millis,"
        + " recorded_at_millis, action, score, risk_level, amount_minor, currency, policy_version, request_hash, event_json, response_json,"
        + " previous_hash, hash) VALUES (?,?,?,'payment',?,NULL,?,?,?,0,'low',100,'USD',1,'h','{}','{}','p','h')";
    try (Connection c = ds.getConnection(); PreparedStatement d = c.prepareStatement(decision);
        PreparedStatement r = c.prepareStatement("INSERT INTO decision_rules (rule_id, sequence) VALUES (?,?)")) {
      for (int i = from; i < to; i++) {
        long at = START_MILLIS + (i % DAYS) * DAY_MILLIS + i;
        d.setLong(1, i + 1);
        d.setString(2, "dec_" + i);
        d.setString(3, "ev_" + i);
        d.setString(4, "acct_" + (i % ACCOUNTS));
        d.setLong(5, at);
        d.setLong(6, at);
        d.setString(7, i % 10 == 0 ? "REVIEW" : "ALLOW");
        d.addBatch();
        for (String rule : rulesOf(i)) {
          r.setString(1, rule);
          r.setLong(2, i + 1);
          r.addBatch();
        }
      }
      d.executeBatch();
      r.executeBatch();
    }
  }

  private static List<String> rulesOf(int i) {
    if (i % 10 == 0) return List.of("every", "even", "tenth");
    return i % 2 == 0 ? List.of("every", "even") : List.of("every");
  }

  private static long number(HikariDataSource ds, String sql) {
    return Sql.number(ds, sql, Sql.Binder.NONE, "reading the roll-up failed");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void countsEveryDecisionOnceAcrossBatchesAndAFailedPass(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      journal(ds, 0, DECISIONS);
      RuleStatsRollup rollup = new RuleStatsRollup(ds, 1_000);
      long started = System.nanoTime();
      assertEquals(DECISIONS, rollup.catchUp(1_000));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("rule statistics roll-up on %s: %,d decisions (%,d fires) in %,d ms%n", store, DECISIONS,
          number(ds, "SELECT COUNT(*) FROM decision_rules"), tookMillis);

      assertEquals(DECISIONS, number(ds, "SELECT SUM(decision_count) FROM rule_stats_decisions"));
      assertEquals(DAYS, number(ds, "SELECT COUNT(*) FROM rule_stats_decisions"));
      assertEquals(DECISIONS, number(ds, "SELECT SUM(fires) FROM rule_stats_days WHERE rule_id = 'every'"));
      assertEquals(DECISIONS / 2, number(ds, "SELECT SUM(fires) FROM rule_stats_days WHERE rule_id = 'even'"));
      assertEquals(DECISIONS / 10, number(ds, "SELECT SUM(intercepted) FROM rule_stats_days WHERE rule_id = 'every'"));
      assertEquals(ACCOUNTS, number(ds, "SELECT COUNT(DISTINCT account_id) FROM rule_stats_accounts WHERE rule_id = 'every'"));
      assertEquals(DECISIONS / 10, number(ds, "SELECT SUM(fires) FROM rule_stats_pairs WHERE rule_id = 'tenth' AND other_rule_id = 'even'"));
      assertEquals(DECISIONS / 2, number(ds, "SELECT SUM(fires) FROM rule_stats_pairs WHERE rule_id = 'every' AND other_rule_id = 'even'"));
      assertEquals(DECISIONS, number(ds, "SELECT sequence FROM rule_stats_cursor"));

      // A pass that fails half-way (its last table is gone) leaves neither counts nor a moved cursor.
      journal(ds, DECISIONS, DECISIONS + 100);
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE rule_stats_pairs RENAME TO rule_stats_pairs_away");
      }
      assertThrows(StorageException.class, rollup::runOnce);
      assertEquals(DECISIONS, number(ds, "SELECT sequence FROM rule_stats_cursor"));
      assertEquals(DECISIONS, number(ds, "SELECT SUM(fires) FROM rule_stats_days WHERE rule_id = 'every'"));
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE rule_stats_pairs_away RENAME TO rule_stats_pairs");
      }
      assertEquals(100, new RuleStatsRollup(ds, 1_000).catchUp(10), "a restarted reader counts the 100 once");
      assertEquals(DECISIONS + 100, number(ds, "SELECT SUM(fires) FROM rule_stats_days WHERE rule_id = 'every'"));
      assertEquals(DECISIONS + 100, number(ds, "SELECT SUM(decision_count) FROM rule_stats_decisions"));
      assertEquals(0, rollup.runOnce());
    }
  }
}
