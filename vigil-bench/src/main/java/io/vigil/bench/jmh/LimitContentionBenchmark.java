package io.vigil.bench.jmh;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.limit.LimitLedger;
import io.vigil.engine.limit.LimitUsage;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Limit contention on the engine: every payment of the run lands on one account whose ledger is
 * already full ({@value LimitLedger#RESERVATIONS_PER_ACCOUNT_MAX} reservations today, the worst
 * case), against the same payments spread over 100,000 accounts. All six limits of the default
 * pack apply to each payment (assurance level 3, a credit score, a high-risk merchant). Exactness
 * under concurrency is a test ({@code LimitsApiTest}); this measures what a hot account costs:
 * {@code decide} the whole decision, {@code limitsOnly} the limit check and reservation alone.
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main LimitContentionBenchmark -f 1 -wi 3 -w 3s -i 5 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LimitContentionBenchmark {
  static final int EVENT_COUNT = 1 << 16;
  static final int EVENT_MASK = EVENT_COUNT - 1;

  /** {@code hot}: one account with a full ledger; {@code spread}: 100,000 accounts. */
  @Param({"hot", "spread"})
  public String mode;

  private Engine engine;
  private java.util.List<LimitDefinition> limits;
  private Event[] events;
  private long nowMillis;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    nowMillis = System.currentTimeMillis();
    engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    limits = DefaultPolicyPack.limits();
    events = new Event[EVENT_COUNT];
    for (int i = 0; i < EVENT_COUNT; i++) {
      String account = mode.equals("hot") ? "hot-account" : "acct-" + (i % 100_000);
      events[i] = EventParser.parse(payment("e" + i, account, nowMillis));
    }
    // Fill: the hot account reaches the ledger's cap; spread accounts get their share.
    for (int i = 0; i < LimitLedger.RESERVATIONS_PER_ACCOUNT_MAX; i++) {
      String account = mode.equals("hot") ? "hot-account" : "acct-" + (i % 100_000);
      engine.replay(EventParser.parse(payment("fill" + i, account, nowMillis)), Action.ALLOW, nowMillis);
    }
  }

  private static Map<String, Object> payment(String id, String account, long atMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", id);
    m.put("type", "payment");
    m.put("occurred_at", Instant.ofEpochMilli(atMillis).toString());
    m.put("account_id", account);
    m.put("amount", 1);
    m.put("currency", "USD");
    m.put("auth", Map.of("assurance_level", 3));
    m.put("credit_score", 850);
    m.put("merchant_risk_level", "high");
    return m;
  }

  /** The whole decision: features, signals, rules, limits. */
  @Benchmark
  public Decision decide() {
    return engine.decide(events[next++ & EVENT_MASK], nowMillis);
  }

  /** The limits alone: check the six limits, then reserve (what decide adds for a payment). */
  @Benchmark
  public int limitsOnly() {
    Event e = events[next++ & EVENT_MASK];
    int breached = 0;
    for (LimitUsage u : engine.ledger().check(e, limits, java.time.ZoneOffset.UTC)) if (u.breached()) breached++;
    engine.ledger().reserve(e);
    return breached;
  }
}
