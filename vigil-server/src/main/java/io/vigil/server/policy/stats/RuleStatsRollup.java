package io.vigil.server.policy.stats;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls the committed journal up into the daily rule statistics, off the decision path.
 *
 * <p>Design: a pass locks the cursor row ({@code SELECT … FOR UPDATE}), reads the next
 * {@code batchRows} decisions after it (their type, account, action and day only, never their
 * event or response) and their rule ids from the journal's rule index ({@code decision_rules},
 * written in the decision's transaction), adds the batch's counts to the day rows and moves the
 * cursor, all in one transaction. A crash rolls the whole pass back, and the lock keeps two readers
 * (two nodes, a test and the background reader) from counting the same rows: restarted, it goes on
 * from the cursor and counts nothing twice.
 *
 * <p>Cost per decision: one index read of its rule ids; per batch, one UPDATE (or INSERT) per
 * distinct (day, event type), (rule, day), (rule, day, account) and (rule, day, other rule).
 * Co-firing pairs grow with the square of the rules of one decision, so only the first
 * {@link #RULES_PAIRED_PER_DECISION_MAX} rule ids of a decision (in id order) are paired.
 */
public final class RuleStatsRollup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RuleStatsRollup.class);
  static final String JOURNAL_CURSOR = "journal";
  /** Rule ids of one decision paired for co-firing: at most 16 * 15 pair rows per decision. */
  static final int RULES_PAIRED_PER_DECISION_MAX = 16;
  private static final long DAY_MILLIS = 86_400_000L;

  private final DataSource dataSource;
  private final int batchRows;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-rule-stats");
    t.setDaemon(true);
    return t;
  });

  public RuleStatsRollup(DataSource dataSource, int batchRows) {
    if (batchRows < 1 || batchRows > 10_000) throw new IllegalArgumentException("batchRows is 1 to 10,000, not " + batchRows);
    this.dataSource = dataSource;
    this.batchRows = batchRows;
  }

  /** Follows the journal every {@code pollMillis} when idle, at once while full batches wait. */
  public RuleStatsRollup start(long pollMillis) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        while (runOnce() == batchRows) {
          // a full batch: more is waiting
        }
      } catch (RuntimeException e) {
        log.warn("rolling up rule statistics failed; retrying: {}", e.toString());
      }
    }, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Rolls up until the cursor reaches the journal's head, at most {@code passesMax} passes; the decisions counted. */
  public long catchUp(int passesMax) {
    long total = 0;
    for (int i = 0; i < passesMax; i++) {
      int read = runOnce();
      total += read;
      if (read < batchRows) break;
    }
    return total;
  }

  /** One pass: the next batch counted and the cursor moved, in one transaction; the decisions read. */
  public int runOnce() {
    return Sql.transaction(dataSource, c -> {
      long after = lockCursor(c);
      List<Row> rows = decisionsAfter(c, after);
      if (rows.isEmpty()) return 0;
      long last = rows.get(rows.size() - 1).sequence;
      attachRules(c, rows, after, last);
      Tally tally = new Tally();
      for (Row row : rows) tally.add(row);
      tally.write(c);
      try (PreparedStatement ps = c.prepareStatement("UPDATE rule_stats_cursor SET sequence = ? WHERE name = ?")) {
        ps.setLong(1, last);
        ps.setString(2, JOURNAL_CURSOR);
        if (ps.executeUpdate() != 1) throw new IllegalStateException("the rule statistics cursor row is missing");
      }
      return rows.size();
    }, "rolling up rule statistics failed");
  }

  /** The cursor's sequence, read under a row lock held until the pass commits. */
  private static long lockCursor(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT sequence FROM rule_stats_cursor WHERE name = ? FOR UPDATE")) {
      ps.setString(1, JOURNAL_CURSOR);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new IllegalStateException("the rule statistics cursor row is missing (migration V53)");
        return rs.getLong(1);
      }
    }
  }

  /** A decision as the roll-up sees it. */
  static final class Row {
    final long sequence;
    final String eventType;
    final String accountId;
    final boolean intercepted;
    final int day;
    final TreeSet<String> rules = new TreeSet<>();

    Row(long sequence, String eventType, String accountId, boolean intercepted, int day) {
      this.sequence = sequence;
      this.eventType = eventType;
      this.accountId = accountId;
      this.intercepted = intercepted;
      this.day = day;
    }
  }

  private List<Row> decisionsAfter(Connection c, long after) throws SQLException {
    String sql = "SELECT sequence, event_type, account_id, action, recorded_at_millis FROM decisions WHERE sequence > ?"
        + " ORDER BY sequence LIMIT ?";
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, after);
      ps.setInt(2, batchRows);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), !"ALLOW".equals(rs.getString(4)),
              (int) Math.floorDiv(rs.getLong(5), DAY_MILLIS)));
        }
      }
    }
    assert rows.size() <= batchRows;
    return rows;
  }

  private static void attachRules(Connection c, List<Row> rows, long after, long last) throws SQLException {
    Map<Long, Row> bySequence = new HashMap<>();
    for (Row r : rows) bySequence.put(r.sequence, r);
    String sql = "SELECT sequence, rule_id FROM decision_rules WHERE sequence > ? AND sequence <= ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, after);
      ps.setLong(2, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Row r = bySequence.get(rs.getLong(1));
          if (r != null) r.rules.add(rs.getString(2));
        }
      }
    }
  }

  /** One batch's counts, keyed as the day tables are. */
  private static final class Tally {
    final Map<List<Object>, long[]> decisions = new TreeMap<>(Tally::compareKeys);
    final Map<List<Object>, long[]> days = new TreeMap<>(Tally::compareKeys);
    final Map<List<Object>, long[]> accounts = new TreeMap<>(Tally::compareKeys);
    final Map<List<Object>, long[]> pairs = new TreeMap<>(Tally::compareKeys);

    void add(Row row) {
      long[] d = decisions.computeIfAbsent(List.of(row.day, row.eventType), k -> new long[] {0, row.sequence, row.sequence});
      d[0]++;
      d[1] = Math.min(d[1], row.sequence);
      d[2] = Math.max(d[2], row.sequence);
      for (String rule : row.rules) {
        long[] f = days.computeIfAbsent(List.of(rule, row.day), k -> new long[3]);
        f[0]++;
        if (row.intercepted) f[1]++;
        if (row.accountId == null) f[2]++;
        else accounts.computeIfAbsent(List.of(rule, row.day, row.accountId), k -> new long[1])[0]++;
      }
      List<String> paired = new ArrayList<>(row.rules).subList(0, Math.min(row.rules.size(), RULES_PAIRED_PER_DECISION_MAX));
      for (String a : paired) {
        for (String b : paired) {
          if (!a.equals(b)) pairs.computeIfAbsent(List.of(a, row.day, b), k -> new long[1])[0]++;
        }
      }
    }

    /** Keys in a fixed order, so concurrent writers (none, under the cursor lock) could never deadlock either. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(List<Object> a, List<Object> b) {
      for (int i = 0; i < a.size(); i++) {
        int c = ((Comparable) a.get(i)).compareTo(b.get(i));
        if (c != 0) return c;
      }
      return 0;
    }

    void write(Connection c) throws SQLException {
      upsert(c, decisions, "UPDATE rule_stats_decisions SET decision_count = decision_count + ?,"
          + " sequence_min = LEAST(sequence_min, ?), sequence_max = GREATEST(sequence_max, ?) WHERE epoch_day = ? AND event_type = ?",
          "INSERT INTO rule_stats_decisions (decision_count, sequence_min, sequence_max, epoch_day, event_type) VALUES (?,?,?,?,?)");
      upsert(c, days, "UPDATE rule_stats_days SET fires = fires + ?, intercepted = intercepted + ?,"
          + " without_account = without_account + ? WHERE rule_id = ? AND epoch_day = ?",
          "INSERT INTO rule_stats_days (fires, intercepted, without_account, rule_id, epoch_day) VALUES (?,?,?,?,?)");
      upsert(c, accounts, "UPDATE rule_stats_accounts SET fires = fires + ? WHERE rule_id = ? AND epoch_day = ? AND account_id = ?",
          "INSERT INTO rule_stats_accounts (fires, rule_id, epoch_day, account_id) VALUES (?,?,?,?)");
      upsert(c, pairs, "UPDATE rule_stats_pairs SET fires = fires + ? WHERE rule_id = ? AND epoch_day = ? AND other_rule_id = ?",
          "INSERT INTO rule_stats_pairs (fires, rule_id, epoch_day, other_rule_id) VALUES (?,?,?,?)");
    }

    /**
     * Adds the counts to existing rows (a batched UPDATE) and inserts the rows that did not exist.
     * Portable SQL (H2 and PostgreSQL); safe because the cursor lock makes this the only writer.
     */
    private static void upsert(Connection c, Map<List<Object>, long[]> counts, String update, String insert) throws SQLException {
      if (counts.isEmpty()) return;
      List<Map.Entry<List<Object>, long[]>> entries = new ArrayList<>(counts.entrySet());
      int[] updated;
      try (PreparedStatement ps = c.prepareStatement(update)) {
        for (Map.Entry<List<Object>, long[]> e : entries) {
          bind(ps, e.getValue(), e.getKey());
          ps.addBatch();
        }
        updated = ps.executeBatch();
      }
      assert updated.length == entries.size();
      boolean any = false;
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        for (int i = 0; i < entries.size(); i++) {
          if (updated[i] > 0) continue;
          bind(ps, entries.get(i).getValue(), entries.get(i).getKey());
          ps.addBatch();
          any = true;
        }
        if (any) ps.executeBatch();
      }
    }

    private static void bind(PreparedStatement ps, long[] values, List<Object> key) throws SQLException {
      int i = 1;
      for (long v : values) ps.setLong(i++, v);
      for (Object k : key) {
        if (k instanceof Integer n) ps.setInt(i++, n);
        else ps.setString(i++, (String) k);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
