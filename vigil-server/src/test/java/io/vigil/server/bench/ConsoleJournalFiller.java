package io.vigil.server.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Json;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.privacy.BenchPrivacy;
import io.vigil.server.privacy.Subjects;
import io.vigil.server.storage.Storage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Fills a fresh PostgreSQL schema with a journal of decisions in exactly the form the server writes
 * them, fast, for measuring the console's pages at scale (docs/performance.md, "Console page times").
 * Each row is what the decision path stores: the event's canonical JSON with its personal fields
 * sealed under the account's data key ({@code JournalSealing}, the data keys in
 * {@code personal_data_keys}, wrapped by the master keyset of the server's data directory), the
 * request hash keyed by the lookup keyset, the response with any string quoting a personal value
 * sealed, the hash chain from genesis, the derived query columns, the {@code decision_keys} row (the
 * PostgreSQL journal's unique keys) and the {@code decision_rules} index rows. Feedback labels and hold
 * approvals are added for a few decisions. The server started on the schema and data directory
 * afterwards verifies the chain and replays the rows into its state.
 *
 * <p>Speed: rows are sealed in parallel, chained in order, and written with {@code COPY} by a writer
 * thread while the next chunk is prepared; the journal's indexes and unique constraints are dropped
 * for the load and built again afterwards with their stored definitions (the key trigger is not
 * fired: the keys are copied directly, as the trigger would have written them).
 *
 * <pre>
 * scripts/console/fill-journal.sh SCHEMA ROWS DATA_DIR     (see scripts/console/README.md)
 * </pre>
 * Arguments: {@code url user dataDir rows [accounts] [days]}.
 */
public final class ConsoleJournalFiller {
  static final int CHUNK_ROWS = 20_000;
  static final int MERCHANTS = 5_000;
  static final double LABELLED_SHARE = 0.004;
  static final List<String> CURRENCIES = List.of("USD", "USD", "USD", "EUR", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF");
  static final String[] RULES = {"large_payment", "new_device", "ip_velocity", "structuring", "card_testing", "off_hours",
      "far_from_usual_region", "impossible_travel", "anonymizer_ip", "hosting_ip", "country_mismatch", "disposable_email",
      "many_accounts_one_device", "linked_to_bad_account", "new_phone_money_out", "watch_list"};
  private static final String DECISION_COLUMNS = "sequence, decision_id, event_id, event_type, account_id, merchant_id,"
      + " occurred_at_millis, recorded_at_millis, action, score, risk_level, amount_minor, currency, policy_version,"
      + " request_hash, event_json, response_json, previous_hash, hash";
  /** A file of this name in the data directory stops the load after the current chunk (the indexes are still built). */
  static final String STOP_FILE = "stop-filling";
  private static final List<String> TABLES = List.of("decisions", "decision_keys", "decision_rules");

  private ConsoleJournalFiller() {}

  /** One prepared chunk: COPY text for each table, and the labels and approvals of its rows. */
  private record Chunk(long lastSequence, StringBuilder decisions, StringBuilder keys, StringBuilder rules, StringBuilder labels,
      StringBuilder approvals) {}

  /** One decision before chaining: everything but its hashes. */
  private record Draft(long sequence, String decisionId, String eventId, long recordedAt, String requestHash, String eventJson,
      String responseJson, String type, String account, String merchant, long occurredAt, String action, int score,
      String risk, Long amount, String currency, Set<String> rules) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: ConsoleJournalFiller JDBC_URL USER DATA_DIR ROWS [ACCOUNTS=100000] [DAYS=30]");
      System.exit(2);
    }
    String url = args[0];
    String user = args[1];
    Path dataDir = Path.of(args[2]);
    long rows = Long.parseLong(args[3]);
    int accounts = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    int days = args.length > 5 ? Integer.parseInt(args[5]) : 30;
    long start = System.nanoTime();
    // The filler's commits need not wait for the disk (the server's own connections do): rebuilt if lost.
    String fillerUrl = url + (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Doff";
    try (HikariDataSource ds = Storage.open(fillerUrl, user, "", 16, "journal-filler", false)) {
      Storage.migrate(ds);
      if (new JournalRepository(ds).head().sequence() != 0) throw new IllegalStateException("the schema's journal is not empty");
      long policyVersion = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(FeatureConfig.defaults())),
          Clock.systemUTC()).active().version();
      BenchPrivacy.Sealing sealing = BenchPrivacy.open(ds, dataDir, Math.max(100_000, accounts + MERCHANTS + 10));
      ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
      ForkJoinPool keyPool = new ForkJoinPool(16);
      keyPool.submit(() -> IntStream.range(0, accounts).parallel().forEach(i -> sealing.keys().live(Subjects.account(account(i)))))
          .get();
      keyPool.shutdown();
      log(start, "data keys of %,d accounts", accounts);
      long now = System.currentTimeMillis();
      long first = now - days * 86_400_000L;
      long stored;
      try (Connection c = ds.getConnection()) {
        partitions(c, first, now);
        List<String> rebuild = dropIndexes(c);
        log(start, "partitions ready, %d indexes and constraints dropped for the load", rebuild.size());
        stored = load(c, pool, sealing, policyVersion, rows, accounts, first, now, start, dataDir.resolve(STOP_FILE));
        try (Statement s = c.createStatement()) {
          s.execute("SET maintenance_work_mem = '1GB'");
          for (String sql : rebuild) {
            s.execute(sql);
            log(start, "%s", sql.length() > 110 ? sql.substring(0, 110) + "..." : sql);
          }
          for (String t : List.of("decisions", "decision_keys", "decision_rules", "feedback_labels", "hold_approvals",
              "personal_data_keys")) {
            s.execute("ANALYZE " + t);
          }
        }
      }
      log(start, "done: %,d decisions", stored);
    }
  }

  private static void log(long startNanos, String format, Object... args) {
    System.out.printf("%7.1f s  %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    System.out.flush();
  }

  static String account(int i) {
    return "acc-" + Integer.toString(i, 36) + "x" + (i % 7);
  }

  /** The month partitions of [from, to], created as the server creates them. */
  private static void partitions(Connection c, long fromMillis, long toMillis) throws SQLException {
    ZonedDateTime month = Instant.ofEpochMilli(fromMillis).atZone(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate()
        .atStartOfDay(ZoneOffset.UTC);
    try (Statement s = c.createStatement()) {
      while (month.toInstant().toEpochMilli() <= toMillis) {
        try (ResultSet r = s.executeQuery("SELECT vigil_journal_partition(" + month.toInstant().toEpochMilli() + ")")) {
          r.next();
        }
        month = month.plusMonths(1);
      }
    }
  }

  /** Drops the journal tables' indexes and unique constraints; returns the statements that build them again. */
  private static List<String> dropIndexes(Connection c) throws SQLException {
    List<String> rebuild = new ArrayList<>();
    List<String> drop = new ArrayList<>();
    String schema;
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_schema()")) {
      r.next();
      schema = r.getString(1);
    }
    try (Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet r = s.executeQuery("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"
            + schema + "." + table + "'::regclass AND contype IN ('p', 'u')")) {
          while (r.next()) {
            drop.add("ALTER TABLE " + table + " DROP CONSTRAINT " + r.getString(1));
            rebuild.add("ALTER TABLE " + table + " ADD CONSTRAINT " + r.getString(1) + " " + r.getString(2));
          }
        }
        try (ResultSet r = s.executeQuery("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            + " WHERE x.indrelid = '" + schema + "." + table + "'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
            + " WHERE k.conindid = i.oid)")) {
          while (r.next()) {
            drop.add("DROP INDEX " + r.getString(1));
            // A partitioned table's index reads "ON ONLY parent": built that way it would cover no partition.
            rebuild.add(r.getString(2).replace(" ON ONLY ", " ON "));
          }
        }
      }
      for (String sql : drop) s.execute(sql);
    }
    return rebuild;
  }

  /** Stores the rows (fewer when the stop file appears: the journal then ends at a chunk's last row); how many. */
  private static long load(Connection c, ForkJoinPool pool, BenchPrivacy.Sealing sealing, long policyVersion, long rows,
      int accounts, long first, long now, long startNanos, Path stopFile) throws Exception {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica"); // the key trigger: its rows are copied below
    }
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
    Chunk end = new Chunk(-1, null, null, null, null, null);
    Exception[] failure = new Exception[1];
    Thread writer = new Thread(() -> {
      try {
        for (Chunk k = queue.take(); k != end; k = queue.take()) {
          copy.copyIn("COPY decisions (" + DECISION_COLUMNS + ") FROM STDIN", new StringReader(k.decisions().toString()));
          copy.copyIn("COPY decision_keys (sequence, decision_id, event_id, recorded_at_millis) FROM STDIN",
              new StringReader(k.keys().toString()));
          copy.copyIn("COPY decision_rules (rule_id, sequence) FROM STDIN", new StringReader(k.rules().toString()));
          copy.copyIn("COPY feedback_labels (label_id, decision_id, event_id, kind, verdict, reason_code, outcome, account_id,"
              + " merchant_id, event_at_millis, known_at_millis, recorded_at_millis, recorded_by) FROM STDIN",
              new StringReader(k.labels().toString()));
          copy.copyIn("COPY hold_approvals (decision_id, approver_id, approver_role, approved_at_millis, recorded_by) FROM STDIN",
              new StringReader(k.approvals().toString()));
          if (k.lastSequence() % 500_000 < CHUNK_ROWS) log(startNanos, "%,d rows stored", k.lastSequence());
        }
      } catch (Exception e) {
        failure[0] = e;
        queue.clear();
      }
    }, "filler-writer");
    writer.start();
    String previous = HashChain.GENESIS;
    long stored = 0;
    for (long from = 1; from <= rows; from += CHUNK_ROWS) {
      if (Files.exists(stopFile)) {
        log(startNanos, "%s found: stopping at %,d rows", stopFile, stored);
        break;
      }
      long to = Math.min(rows, from + CHUNK_ROWS - 1);
      long chunkFrom = from;
      List<Draft> drafts = pool.submit(() -> IntStream.rangeClosed(0, (int) (to - chunkFrom)).parallel()
          .mapToObj(i -> draft(chunkFrom + i, sealing, policyVersion, rows, accounts, first, now)).toList()).get();
      Chunk chunk = new Chunk(to, new StringBuilder(drafts.size() * 1600), new StringBuilder(drafts.size() * 100),
          new StringBuilder(), new StringBuilder(), new StringBuilder());
      for (Draft d : drafts) {
        String hash = HashChain.hash(previous, d.sequence(), d.decisionId(), d.eventId(), d.recordedAt(), policyVersion,
            d.requestHash(), d.eventJson(), d.responseJson());
        append(chunk, d, policyVersion, previous, hash);
        previous = hash;
      }
      if (failure[0] != null) throw failure[0];
      queue.put(chunk);
      stored = to;
    }
    queue.put(end);
    writer.join();
    if (failure[0] != null) throw failure[0];
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = origin");
    }
    log(startNanos, "%,d rows stored; head %s", stored, previous);
    return stored;
  }

  /** Decision {@code seq} of the journal: its event, sealed, and its answer. Deterministic in seq. */
  private static Draft draft(long seq, BenchPrivacy.Sealing sealing, long policyVersion, long rows, int accounts, long first,
      long now) {
    SplittableRandom r = new SplittableRandom(seq * 0x9E3779B97F4A7C15L);
    long recordedAt = first + (now - 60_000 - first) * seq / rows;
    long occurredAt = recordedAt - (r.nextInt(1000) == 0 ? r.nextInt(3_600_000) : r.nextInt(1_500));
    // Accounts drawn with a skew (u^2): the busiest have thousands of decisions, most a few dozen.
    double u = r.nextDouble();
    String account = account((int) (u * u * accounts));
    int kind = r.nextInt(100);
    String type = kind < 15 ? "login" : kind < 85 ? "payment" : kind < 95 ? "transfer" : "withdrawal";
    String eventId = "evt-" + Long.toString(recordedAt, 36) + "-" + Long.toString(seq, 36);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event_id", eventId);
    e.put("type", type);
    e.put("occurred_at", Instant.ofEpochMilli(occurredAt).toString());
    e.put("account_id", account);
    String ip = "10." + r.nextInt(64) + "." + r.nextInt(256) + "." + r.nextInt(256);
    e.put("ip", ip);
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("id", "dev-" + (account.hashCode() & 0x3ffff) + "-" + r.nextInt(3));
    e.put("device", device);
    if (r.nextInt(4) == 0) e.put("email", account + "@example.com");
    String merchant = null;
    Long amount = null;
    String currency = null;
    if (type.equals("login")) {
      Map<String, Object> login = new LinkedHashMap<>();
      login.put("success", r.nextInt(10) != 0);
      e.put("login", login);
    } else {
      double a = r.nextDouble();
      amount = 100L + (long) (a * a * a * 2_000_000);
      currency = CURRENCIES.get(r.nextInt(CURRENCIES.size()));
      e.put("amount", amount);
      e.put("currency", currency);
      if (!type.equals("withdrawal")) {
        merchant = "m-" + Integer.toString(r.nextInt(MERCHANTS), 36);
        e.put("merchant_id", merchant);
      }
    }
    Map<String, Object> tree = e;
    Event event = EventParser.parse(tree);
    String canonical = Json.canonical(tree);
    String requestHash = sealing.journal().requestHash(canonical);
    String stored = sealing.journal().sealEvent(tree, canonical, event);
    String decisionId = decisionId(recordedAt, r);
    int a = r.nextInt(1000);
    String action = a < 880 ? "ALLOW" : a < 920 ? "CHALLENGE" : a < 960 ? "REVIEW" : a < 970 ? "HOLD" : "DENY";
    int score = switch (action) {
      case "ALLOW" -> r.nextInt(40);
      case "CHALLENGE" -> 40 + r.nextInt(20);
      case "REVIEW" -> 50 + r.nextInt(25);
      case "HOLD" -> 60 + r.nextInt(25);
      default -> 75 + r.nextInt(26);
    };
    String risk = score < 40 ? "low" : score < 60 ? "medium" : score < 80 ? "high" : "critical";
    Map<String, Object> response = response(decisionId, eventId, action, score, risk, ip, amount, recordedAt, policyVersion, r);
    String responseJson = sealing.journal().sealResponse(Json.write(response), event);
    Set<String> rules = DecisionRules.ruleIds(response);
    return new Draft(seq, decisionId, eventId, recordedAt, requestHash, stored, responseJson, type, account, merchant, occurredAt,
        action, score, risk, amount, currency, rules);
  }

  /** The answer as {@code DecisionJson.response} writes it. */
  private static Map<String, Object> response(String decisionId, String eventId, String action, int score, String risk, String ip,
      Long amount, long recordedAt, long policyVersion, SplittableRandom r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("decision_id", decisionId);
    body.put("event_id", eventId);
    body.put("action", action);
    body.put("score", score);
    body.put("risk_level", risk);
    List<Map<String, Object>> reasons = new ArrayList<>();
    int count = action.equals("ALLOW") ? (r.nextInt(3) == 0 ? 1 : 0) : 1 + r.nextInt(3);
    int points = 0;
    for (int i = 0; i < count; i++) {
      String rule = RULES[(int) (Math.pow(r.nextDouble(), 2) * RULES.length)];
      Map<String, Object> reason = new LinkedHashMap<>();
      reason.put("rule_id", rule);
      int p = Math.max(1, score / Math.max(1, count));
      points += p;
      Map<String, Object> values = new LinkedHashMap<>();
      if (rule.equals("ip_velocity") || rule.equals("anonymizer_ip") || rule.equals("hosting_ip")) {
        reason.put("message", "IP " + ip + " flagged by " + rule.replace('_', ' '));
        values.put("ip", ip);
      } else if (amount != null && (rule.equals("large_payment") || rule.equals("structuring"))) {
        reason.put("message", "Amount " + amount + " above the usual for this account");
        values.put("amount", amount);
      } else {
        reason.put("message", rule.replace('_', ' '));
      }
      reason.put("points", p);
      reason.put("values", values);
      reasons.add(reason);
    }
    body.put("reasons", reasons);
    if (action.equals("CHALLENGE")) body.put("challenge", Map.of("kind", "3ds"));
    if (action.equals("HOLD")) {
      Map<String, Object> hold = new LinkedHashMap<>();
      hold.put("policy", "two_approvers");
      hold.put("approvals_required", 2);
      hold.put("required_roles", Map.of());
      hold.put("deadline", Instant.ofEpochMilli(recordedAt + 86_400_000L).toString());
      hold.put("expiry_action", "DENY");
      body.put("hold", hold);
    }
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("rules", points);
    scores.put("model", 0);
    body.put("scores", scores);
    body.put("policy_version", policyVersion);
    body.put("reference_version", 0);
    body.put("latency_micros", 200 + r.nextInt(3000));
    return body;
  }

  /** {@code dec_} + 11 hex digits of the time + 16 random hex digits, as the sequencer draws them. */
  private static String decisionId(long millis, SplittableRandom r) {
    String id;
    do {
      id = "dec_" + String.format("%011x%016x", millis, r.nextLong());
    } while (Ids.mustRedraw(id));
    return id;
  }

  private static void append(Chunk k, Draft d, long policyVersion, String previous, String hash) {
    StringBuilder b = k.decisions();
    field(b, Long.toString(d.sequence())).append('\t');
    field(b, d.decisionId()).append('\t');
    field(b, d.eventId()).append('\t');
    field(b, d.type()).append('\t');
    field(b, d.account()).append('\t');
    field(b, d.merchant()).append('\t');
    b.append(d.occurredAt()).append('\t').append(d.recordedAt()).append('\t');
    field(b, d.action()).append('\t').append(d.score()).append('\t');
    field(b, d.risk()).append('\t');
    field(b, d.amount() == null ? null : d.amount().toString()).append('\t');
    field(b, d.currency()).append('\t').append(policyVersion).append('\t');
    field(b, d.requestHash()).append('\t');
    field(b, d.eventJson()).append('\t');
    field(b, d.responseJson()).append('\t');
    field(b, previous).append('\t');
    field(b, hash).append('\n');
    k.keys().append(d.sequence()).append('\t').append(d.decisionId()).append('\t').append(d.eventId()).append('\t')
        .append(d.recordedAt()).append('\n');
    for (String rule : d.rules()) k.rules().append(rule).append('\t').append(d.sequence()).append('\n');
    SplittableRandom r = new SplittableRandom(d.sequence() * 31 + 7);
    boolean risky = !d.action().equals("ALLOW");
    if (d.amount() != null && r.nextDouble() < (risky ? LABELLED_SHARE * 10 : LABELLED_SHARE)) {
      boolean fraud = r.nextInt(risky ? 2 : 10) == 0;
      long known = d.recordedAt() + 3_600_000L * (1 + r.nextInt(72));
      k.labels().append("lbl-").append(d.eventId()).append('\t').append(d.decisionId()).append('\t').append(d.eventId())
          .append('\t').append(fraud ? "chargeback" : "legitimate").append('\t').append(fraud ? "fraud" : "legitimate")
          .append('\t').append(fraud ? "10.4" : "\\N").append("\t\\N\t");
      field(k.labels(), d.account()).append('\t');
      field(k.labels(), d.merchant()).append('\t').append(d.occurredAt()).append('\t').append(known).append('\t')
          .append(known).append("\tfeedback-bench\n");
    }
    if (d.action().equals("HOLD") && r.nextInt(3) != 0) {
      k.approvals().append(d.decisionId()).append("\tsupervisor-").append(r.nextInt(5)).append("\tsupervisor\t")
          .append(d.recordedAt() + 60_000L * (1 + r.nextInt(600))).append("\tsupervisor-bench\n");
    }
  }

  /** A COPY text field: null as \N; backslash, tab, newline and carriage return escaped. */
  private static StringBuilder field(StringBuilder b, String value) {
    if (value == null) return b.append("\\N");
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(ch);
      }
    }
    return b;
  }
}
