package io.vigil.server.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Storage;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.ChildServer;
import io.vigil.server.support.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A decision answered REVIEW gets its case even when the server dies between the answer and the
 * opening: the first server's opener is set to wait a minute, so it has opened nothing when the
 * server is killed with SIGKILL; the restarted server's opener reads the committed journal from
 * its stored cursor and opens each case once, a second decision of an account joining its case.
 */
class CaseOpenerRestartTest {
  /** The opener's first pass comes this long after start: never, within this test's first server. */
  private static final String OPENER_ASLEEP = "--vigil.cases.opener-poll-millis=60000";
  private static final List<String> HEAP = List.of("-Xmx384m");

  @Test
  void casesOfDecisionsAnsweredBeforeAKillOpenOnceAfterTheRestart() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-case-restart-");
    List<String> accounts = List.of(CaseTestSupport.id("acct"), CaseTestSupport.id("acct"), CaseTestSupport.id("acct"));
    List<String> decisions = new ArrayList<>();
    ChildServer first = ChildServer.start(dataDir, HEAP, List.of(OPENER_ASLEEP));
    try {
      first.awaitHealthy();
      for (String account : accounts) decisions.add(review(first.api, account, 500_00));
      decisions.add(review(first.api, accounts.get(0), 700_00));
      assertThat(openerLag(first.api)).as("decisions the opener has not read").isGreaterThanOrEqualTo(decisions.size());
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (first.process().isAlive()) first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    ChildServer second = ChildServer.start(dataDir, HEAP, List.of());
    try {
      second.awaitHealthy();
      awaitCaughtUp(second.api);
    } finally {
      second.stop();
    }
    // Read what the restarted server stored, from its embedded store (cases are for operators who
    // may read them; the test's key may not).
    try (HikariDataSource store = Storage.open(Storage.embeddedUrl(dataDir.toString()) + ";IFEXISTS=TRUE", "", "", 1, "test")) {
      List<String> grouped = caseIds(store, accounts.get(0));
      assertThat(grouped).as("the account's two decisions are one case").hasSize(1);
      assertThat(decisionIds(store, grouped.get(0))).containsExactlyInAnyOrder(decisions.get(0), decisions.get(3));
      assertThat(timelineKinds(store, grouped.get(0))).containsExactly("opened", "decision_added");
      for (int i = 1; i < accounts.size(); i++) {
        List<String> one = caseIds(store, accounts.get(i));
        assertThat(one).hasSize(1);
        assertThat(decisionIds(store, one.get(0))).containsExactly(decisions.get(i));
      }
    } finally {
      ChildServer.deleteDirectory(dataDir);
    }
  }

  private static List<String> caseIds(DataSource store, String account) {
    return Sql.list(store, "SELECT case_id FROM cases WHERE account_id = ?", ps -> ps.setString(1, account), rs -> rs.getString(1),
        "test");
  }

  private static List<String> decisionIds(DataSource store, String caseId) {
    return Sql.list(store, "SELECT decision_id FROM case_decisions WHERE case_id = ? ORDER BY added_at_millis, decision_id",
        ps -> ps.setString(1, caseId), rs -> rs.getString(1), "test");
  }

  private static List<String> timelineKinds(DataSource store, String caseId) {
    return Sql.list(store, "SELECT kind FROM case_events WHERE case_id = ? ORDER BY seq", ps -> ps.setString(1, caseId),
        rs -> rs.getString(1), "test");
  }

  /** A payment in a currency without an exchange rate (the krona): the default policy answers REVIEW. */
  private static String review(ApiClient api, String account, long amountMinor) {
    Map<String, Object> body = Events.payment(CaseTestSupport.id("evt"), account, amountMinor);
    body.put("currency", "ISK");
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("action")).as(r.body()).isEqualTo("REVIEW");
    return (String) r.json().get("decision_id");
  }

  private static double openerLag(ApiClient api) {
    String name = "vigil_cases_opener_lag_decisions ";
    return api.get("/actuator/prometheus").body().lines().filter(l -> l.startsWith(name)).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length()).trim()))
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  /** The opener's lag falls to 0 once it has read the journal (it advances its cursor after a batch's cases). */
  private static void awaitCaughtUp(ApiClient api) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (openerLag(api) > 0) {
      if (System.nanoTime() > deadline) throw new AssertionError("the opener's lag stayed at " + openerLag(api));
      Thread.sleep(100);
    }
  }
}
