package io.vigil.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.Outcome;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.journal.StorageException;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A failed database write is logged with the operation, the SQLState and the error code, never with
 * the values the driver quotes: on both stores the driver's own message holds the event's e-mail.
 */
class FailedWriteLogTest {
  /** Short, so that it falls inside the part of the value H2 quotes (about the first 90 characters). */
  static final String EMAIL = "ann@probe.io";
  static final String PHONE = "+8801712345678";
  static final String IP = "203.0.113.77";
  /** SQLState of a value too long for its column, on H2 and PostgreSQL alike. */
  static final String VALUE_TOO_LONG = "22001";

  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void theDriversMessageHoldsTheEventButTheRedactedFailureDoesNot(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = store.open()) {
      refuseLongEvents(ds, store);
      SQLException driver;
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        Throwable refused = catchThrowable(() -> JournalRepository.insertBatch(c, List.of(row())));
        assertThat(refused).isInstanceOf(SQLException.class);
        driver = (SQLException) refused;
        c.rollback();
      }
      assertThat(printed(driver)).as("what logging the driver's exception would print").contains(EMAIL);

      String logged = printed(RedactedFailure.of(new StorageException("writing decisions failed", driver)));
      assertThat(logged).contains("writing decisions failed", "SQLState " + VALUE_TOO_LONG, driver.getClass().getName());
      assertThat(logged).doesNotContain(EMAIL).doesNotContain(PHONE).doesNotContain(IP).doesNotContain("account_id");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aFailedCommitLogsTheFailureWithoutTheEvent(TestDatabases.Store store) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("io.vigil.server.decision.Committer");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (HikariDataSource ds = store.open(); DecisionPipeline pipeline = pipeline(ds)) {
      refuseLongEvents(ds, store);
      Map<String, Object> event = Events.payment("evt-pii", "a1", 100);
      event.put("email", EMAIL);
      event.put("phone", PHONE);
      event.put("ip", IP);
      assertThatThrownBy(() -> submit(pipeline, event)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).code()).isEqualTo("storage_unavailable");
    } finally {
      logger.detachAppender(appender);
    }
    String logged = String.join("\n", appender.list.stream()
        .map(e -> e.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())).toList());
    assertThat(logged).contains("committing 1 decisions failed", "SQLState " + VALUE_TOO_LONG);
    assertThat(logged).doesNotContain(EMAIL).doesNotContain(PHONE).doesNotContain(IP);
  }

  /** Every event body longer than 40 characters now breaks its column: the driver quotes the value it refused. */
  static void refuseLongEvents(HikariDataSource ds, TestDatabases.Store store) throws SQLException {
    String type = store.name().equals("h2") ? "SET DATA TYPE" : "TYPE";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE decisions ALTER COLUMN event_json " + type + " VARCHAR(40)");
    }
  }

  static JournalRow row() {
    String eventJson = Json.canonical(Map.of("account_id", "a1", "amount", 100, "currency", "USD", "email", EMAIL,
        "event_id", "evt-pii", "ip", IP, "phone", PHONE, "type", "payment"));
    String response = Json.write(Map.of("decision_id", "dec_1", "action", "ALLOW"));
    String hash = HashChain.hash(HashChain.GENESIS, 1, "dec_1", "evt-pii", 1_000L, 1, "h1", eventJson, response);
    return new JournalRow(new JournalRecord(1, "dec_1", "evt-pii", 1_000L, 1, "h1", eventJson, response, HashChain.GENESIS, hash),
        "payment", "a1", null, 1_000L, "ALLOW", 0, "low", 100L, "USD");
  }

  static DecisionPipeline pipeline(HikariDataSource ds) {
    FeatureConfig config = FeatureConfig.defaults();
    PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)),
        TestClock.INSTANCE);
    return new DecisionPipeline(new JournalRepository(ds), ds, config, new ListIndex(), policies.active(), 1_024, 64,
        new SimpleMeterRegistry(), TestClock.INSTANCE);
  }

  static Outcome submit(DecisionPipeline p, Map<String, Object> body) throws Exception {
    String canonical = Json.canonical(body);
    return p.submit(new DecisionPipeline.Submission(EventParser.parse(body), canonical, p.requestHash(canonical), System.nanoTime(),
        false, new CompletableFuture<>())).get(10, TimeUnit.SECONDS);
  }

  /** The text a log line's stack trace shows: every message and cause. */
  static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
