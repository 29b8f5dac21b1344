package io.vigil.server.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.Outcome;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Not a test: fills an embedded store with N decisions through the real pipeline (decided, chained,
 * committed and synced as the server does, without HTTP), for the restore drill's RTO figure
 * (docs/performance.md). {@code java -cp … io.vigil.server.backup.GenerateEmbeddedStore DATA_DIR N [JDBC_URL USER [EVENT_ID_PREFIX]]}
 * (a JDBC URL fills that database instead).
 */
public final class GenerateEmbeddedStore {
  private GenerateEmbeddedStore() {}

  public static void main(String[] args) throws Exception {
    String dataDir = args[0];
    int n = Integer.parseInt(args[1]);
    Clock clock = Clock.systemUTC();
    FeatureConfig config = FeatureConfig.defaults();
    SplittableRandom random = new SplittableRandom(42);
    long startNanos = System.nanoTime();
    String url = args.length > 2 ? args[2] : Storage.embeddedUrl(dataDir);
    String user = args.length > 3 ? args[3] : "";
    try (HikariDataSource ds = Storage.open(url, user, "", 4, "generate")) {
      Storage.migrate(ds);
      PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)), clock);
      try (DecisionPipeline p = new DecisionPipeline(new JournalRepository(ds), ds, config, new ListIndex(), policies.active(),
          4_096, 512, new SimpleMeterRegistry(), clock)) {
        Semaphore inFlight = new Semaphore(2_048);
        long spanMillis = 23L * 3_600_000L; // within the accepted lateness of a day
        long first = clock.millis() - spanMillis;
        for (int i = 0; i < n; i++) {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("event_id", "gen-" + (args.length > 4 ? args[4] : "") + i);
          body.put("type", "payment");
          body.put("occurred_at", Instant.ofEpochMilli(first + spanMillis * i / n).toString());
          body.put("account_id", "acct-" + random.nextInt(100_000));
          body.put("amount", 100 + random.nextInt(500_000));
          body.put("currency", "USD");
          body.put("ip", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
          body.put("device", Map.of("id", "dev-" + random.nextInt(150_000)));
          String canonical = Json.canonical(body);
          inFlight.acquire();
          CompletableFuture<Outcome> reply = new CompletableFuture<>();
          reply.whenComplete((o, e) -> {
            inFlight.release();
            if (e != null) System.err.println("decision failed: " + e);
          });
          p.submit(new DecisionPipeline.Submission(EventParser.parse(body), canonical, p.requestHash(canonical),
              System.nanoTime(), false, reply));
          if (i % 100_000 == 0) System.out.println(i + " decisions, " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        }
        inFlight.acquire(2_048);
      }
    }
    System.out.println(n + " decisions in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
  }
}
