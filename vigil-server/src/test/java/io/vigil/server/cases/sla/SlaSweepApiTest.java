package io.vigil.server.cases.sla;

import static io.vigil.server.support.CaseSeeds.awaitCase;
import static io.vigil.server.support.CaseSeeds.caseOf;
import static io.vigil.server.support.CaseSeeds.count;
import static io.vigil.server.support.CaseSeeds.timeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.CaseListener;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.support.CaseSeeds;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deadlines of cases on a real server: a REVIEW case in the payments queue (deadline 24 h, warning
 * 4 h before) is warned once after the clock passes its warning time, breached and escalated to
 * compliance once after its due time, however often the sweep runs and across a restart of the
 * sweep; listeners hear of each once; a closed case is never breached; a breach left unescalated
 * by a stop is escalated by the next pass. The sweep's own timer is slowed to an hour so that only
 * the test's passes run. Own server: it moves the clock by days.
 */
class SlaSweepApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-sla-");
  private static final long HOUR_MILLIS = 3_600_000L;

  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", () -> CaseSeeds.referenceWithoutChf(DATA_DIR).toString());
    registry.add("vigil.cases.sla.sweep-interval-seconds", () -> "3600");
    registry.add("vigil.cases.sampling.allowed-payments", () -> "0");
    storeAsAsked(registry);
  }

  @Autowired
  SlaSweep sweep;
  @Autowired
  CaseService cases;
  @Autowired
  CaseRepository repository;

  /** What the sweep told listeners: "warning case_…" and "breached case_…". */
  private static final List<String> TOLD = new CopyOnWriteArrayList<>();
  private static volatile boolean listening;

  @BeforeEach
  void listen() {
    if (listening) return;
    listening = true;
    cases.addListener(new CaseListener() {
      @Override
      public void slaWarning(CaseRecord c) {
        TOLD.add("warning " + c.caseId());
      }

      @Override
      public void slaBreached(CaseRecord c) {
        TOLD.add("breached " + c.caseId());
      }
    });
  }

  /** A new REVIEW case of a new account, open; its JSON. */
  private Map<String, Object> reviewCase() {
    String account = CaseSeeds.id("acct");
    CaseSeeds.review(api, account);
    return awaitCase(api, account);
  }

  private static long millis(Object isoTime) {
    return Instant.parse((String) isoTime).toEpochMilli();
  }

  /** Moves the test clock to {@code atMillis} plus a minute (it only goes forward). */
  private static void clockPast(long atMillis) {
    long by = atMillis + 60_000L - TestClock.INSTANCE.millis();
    assertTrue(by > 0, "the clock is past " + Instant.ofEpochMilli(atMillis) + " already");
    TestClock.advance(Duration.ofMillis(by));
  }

  private long told(String what) {
    return TOLD.stream().filter(what::equals).count();
  }

  @Test
  void warnsOnceAfterTheWarningTimeThenBreachesAndEscalatesOnceAfterTheDueTime() {
    Map<String, Object> c = reviewCase();
    String id = (String) c.get("case_id");
    assertEquals("payments", c.get("queue_id"));
    long due = millis(c.get("due_at"));
    assertEquals(millis(c.get("intercepted_at")) + 24 * HOUR_MILLIS, due, c::toString);

    sweep.runOnce();
    assertNull(caseOf(api, id).get("sla_warned_at"), "nothing before the warning time");

    clockPast(due - 4 * HOUR_MILLIS);
    sweep.runOnce();
    sweep.runOnce();
    Map<String, Object> warned = caseOf(api, id);
    assertNotNull(warned.get("sla_warned_at"), warned::toString);
    assertNull(warned.get("sla_breached_at"), warned::toString);
    assertEquals("open", warned.get("status"));
    assertEquals(1, count(timeline(api, id), "sla_warning"));
    assertEquals(0, count(timeline(api, id), "sla_breached"));
    assertEquals(1, told("warning " + id));

    clockPast(due);
    sweep.runOnce();
    sweep.runOnce();
    // A restart: a new sweep on the same database records nothing again.
    try (SlaSweep restarted = new SlaSweep(repository, cases, 5)) {
      restarted.runOnce();
    }
    Map<String, Object> breached = caseOf(api, id);
    assertNotNull(breached.get("sla_breached_at"), breached::toString);
    assertEquals(warned.get("sla_warned_at"), breached.get("sla_warned_at"), "the warning keeps its time");
    assertEquals("escalated", breached.get("status"));
    assertEquals("compliance", breached.get("queue_id"), "payments escalates to compliance");
    assertNull(breached.get("assignee_id"));
    List<Map<String, Object>> events = timeline(api, id);
    assertEquals(1, count(events, "sla_warning"), events::toString);
    assertEquals(1, count(events, "sla_breached"), events::toString);
    assertEquals(1, count(events, "escalated"), events::toString);
    Map<String, Object> escalated = events.stream().filter(e -> "escalated".equals(e.get("kind"))).findFirst().orElseThrow();
    assertEquals("system", escalated.get("actor"));
    assertEquals(Map.of("reason", "deadline passed"), escalated.get("detail"));
    List<String> kinds = events.stream().map(e -> (String) e.get("kind")).toList();
    assertTrue(kinds.indexOf("sla_warning") < kinds.indexOf("sla_breached") && kinds.indexOf("sla_breached") < kinds.indexOf("escalated"),
        kinds::toString);
    assertEquals(1, told("warning " + id));
    assertEquals(1, told("breached " + id));
  }

  @Test
  void aClosedCaseIsNeverWarnedOrBreached() {
    Map<String, Object> c = reviewCase();
    String id = (String) c.get("case_id");
    cases.close(id, CaseVerdict.LEGITIMATE, "customer_confirmed", new Reviewer("ops.closer", true), null, Map.of());
    clockPast(millis(c.get("due_at")));
    sweep.runOnce();
    Map<String, Object> after = caseOf(api, id);
    assertEquals("closed", after.get("status"));
    assertNull(after.get("sla_warned_at"));
    assertNull(after.get("sla_breached_at"));
    List<Map<String, Object>> events = timeline(api, id);
    assertEquals(0, count(events, "sla_warning") + count(events, "sla_breached") + count(events, "escalated"), events::toString);
    assertEquals(0, told("breached " + id) + told("warning " + id));
  }

  @Test
  void aCaseFoundPastItsDueTimeIsBreachedWithoutASeparateWarning() {
    Map<String, Object> c = reviewCase();
    String id = (String) c.get("case_id");
    clockPast(millis(c.get("due_at")));
    sweep.runOnce();
    Map<String, Object> after = caseOf(api, id);
    assertEquals(after.get("sla_breached_at"), after.get("sla_warned_at"), "the breach stands for the warning");
    List<Map<String, Object>> events = timeline(api, id);
    assertEquals(0, count(events, "sla_warning"), events::toString);
    assertEquals(1, count(events, "sla_breached"), events::toString);
    assertEquals(1, count(events, "escalated"), events::toString);
    assertEquals(0, told("warning " + id));
    assertEquals(1, told("breached " + id));
  }

  @Test
  void aBreachLeftUnescalatedByAStopIsEscalatedOnceByTheNextPass() {
    Map<String, Object> c = reviewCase();
    String id = (String) c.get("case_id");
    clockPast(millis(c.get("due_at")));
    // The sweep stopped between its two transactions: the breach is recorded, the escalation is not.
    assertTrue(cases.markSla(id, true).isPresent());
    assertTrue(cases.markSla(id, true).isEmpty(), "a second breach mark is refused");
    assertEquals("open", caseOf(api, id).get("status"));
    sweep.runOnce();
    sweep.runOnce();
    Map<String, Object> after = caseOf(api, id);
    assertEquals("escalated", after.get("status"));
    List<Map<String, Object>> events = timeline(api, id);
    assertEquals(1, count(events, "sla_breached"), events::toString);
    assertEquals(1, count(events, "escalated"), events::toString);
  }

  @Test
  void passesReadAtMostTheirRowsAndTheRestFollowsInTheNextPass() {
    Map<String, Object> a = reviewCase();
    Map<String, Object> b = reviewCase();
    clockPast(Math.max(millis(a.get("due_at")), millis(b.get("due_at"))));
    try (SlaSweep small = new SlaSweep(repository, cases, 1)) {
      assertEquals(1, small.runOnce());
      assertEquals(1, small.runOnce());
      assertEquals(0, small.runOnce());
    }
    for (Map<String, Object> c : List.of(a, b)) {
      List<Map<String, Object>> events = timeline(api, (String) c.get("case_id"));
      assertEquals(1, count(events, "sla_breached"), events::toString);
      assertEquals(1, count(events, "escalated"), events::toString);
    }
  }
}
