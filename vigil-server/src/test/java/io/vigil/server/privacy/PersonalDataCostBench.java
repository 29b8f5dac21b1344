package io.vigil.server.privacy;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.server.api.Json;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-decision cost of personal-data protection, measured on the real classes: what a request
 * thread adds (keyed request hash and sealing of the event, against the plain SHA-256 it replaces),
 * what the committer adds (the response check, and the sealing of a response quoting a value), and
 * what a replay adds (opening). Accounts rotate over a set whose data keys are cached, as in
 * production. Prints its figures (docs/performance.md); not part of the suite (run it by name):
 * <pre>./mvnw -o -q -B verify -pl vigil-server -am -Dtest=PersonalDataCostBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class PersonalDataCostBench {
  private static final int ACCOUNTS = 1_000;
  private static final int ITERATIONS = 100_000;

  @Test
  void perDecision() throws Exception {
    Path dir = Files.createTempDirectory("vigil-pd-bench-");
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      DataKeys keys = new DataKeys(new DataKeyRepository(ds), MasterKeys.open(dir.resolve("keys/m.json")), TestClock.INSTANCE, 100_000);
      JournalSealing sealing = new JournalSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/l.json")));
      Map<String, Object>[] trees = trees();
      Event[] events = new Event[ACCOUNTS];
      String[] canonical = new String[ACCOUNTS];
      for (int i = 0; i < ACCOUNTS; i++) {
        events[i] = EventParser.parse(trees[i]);
        canonical[i] = Json.canonical(trees[i]);
      }
      String plainResponse = "{\"decision_id\":\"dec_1\",\"action\":\"ALLOW\",\"score\":12,\"reasons\":[{\"rule_id\":\"velocity\","
          + "\"message\":\"5 payments in 1 h\",\"points\":12,\"values\":{\"features.account.count_1h\":5}}]}";
      String[] stored = new String[ACCOUNTS];
      String[] quoting = new String[ACCOUNTS];
      for (int round = 0; round < 4; round++) {
        long t0 = System.nanoTime();
        long sink = 0;
        for (int n = 0; n < ITERATIONS; n++) sink += JournalPrivacy.NONE.requestHash(canonical[n % ACCOUNTS]).length();
        long t1 = System.nanoTime();
        for (int n = 0; n < ITERATIONS; n++) {
          int i = n % ACCOUNTS;
          sink += sealing.requestHash(canonical[i]).length();
          stored[i] = sealing.sealEvent(trees[i], canonical[i], events[i]);
        }
        long t2 = System.nanoTime();
        for (int n = 0; n < ITERATIONS; n++) sink += sealing.sealResponse(plainResponse, events[n % ACCOUNTS]).length();
        long t3 = System.nanoTime();
        for (int n = 0; n < ITERATIONS; n++) {
          int i = n % ACCOUNTS;
          quoting[i] = sealing.sealResponse(plainResponse.replace("5 payments in 1 h", "from " + events[i].email()), events[i]);
        }
        long t4 = System.nanoTime();
        for (int n = 0; n < ITERATIONS; n++) sink += sealing.openEvent(stored[n % ACCOUNTS], JournalPrivacy.Reading.REPLAY).size();
        long t5 = System.nanoTime();
        for (int n = 0; n < ITERATIONS; n++) sink += Json.readMap(canonical[n % ACCOUNTS]).size();
        long t6 = System.nanoTime();
        System.out.printf("round %d (ns/decision): plain SHA-256 request hash %.0f | keyed hash + sealed event %.0f"
            + " | response check, no value %.0f | response quoting a value %.0f | replay open %.0f vs plain parse %.0f (%d)%n",
            round, per(t0, t1), per(t1, t2), per(t2, t3), per(t3, t4), per(t4, t5), per(t5, t6), sink % 7);
      }
      System.out.printf("stored event %d chars against %d in plaintext%n", stored[0].length(), canonical[0].length());
    }
  }

  private static double per(long from, long to) {
    return (to - from) / (double) ITERATIONS;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object>[] trees() {
    Map<String, Object>[] out = new Map[ACCOUNTS];
    for (int i = 0; i < ACCOUNTS; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event_id", "evt-bench-" + i);
      m.put("type", "payment");
      m.put("occurred_at", TestClock.now().toString());
      m.put("account_id", "acct-bench-" + i);
      m.put("merchant_id", "mrc-bench");
      m.put("amount", 1_250 + i);
      m.put("currency", "USD");
      m.put("channel", "app");
      m.put("ip", "198.51.100." + (i % 250));
      m.put("phone", "+1555" + (1_000_000 + i));
      m.put("email", "bench" + i + "@example.test");
      m.put("device", new LinkedHashMap<>(Map.of("id", "dev-bench-" + i, "fingerprint", "fp-bench-" + i, "user_agent", "BenchAgent/1.0")));
      m.put("card", Map.of("token", "tok-bench-" + i, "bin", "411111", "last4", "4242"));
      m.put("auth", Map.of("method", "otp", "assurance_level", 2));
      out[i] = Json.readMap(Json.canonical(m));
    }
    return out;
  }
}
