package io.vigil.bench.jmh;

import io.vigil.bench.EventGenerator;
import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.engine.release.Released;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a release adds to one engine decision: {@code mode=none} is the plain decision,
 * {@code shadow} runs a candidate of the default pack's size beside it on every decision (never
 * acting), {@code gray} splits accounts by their stable hash at {@code percent} and runs the other
 * policy as the counterfactual. The same traffic and state as {@link EngineDecisionBenchmark}.
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main ReleaseDecisionBenchmark \
 *     -f 1 -wi 3 -w 5s -i 5 -r 5s -bm sample
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ReleaseDecisionBenchmark {
  static final int EVENT_COUNT = 1 << 18;
  static final int EVENT_MASK = EVENT_COUNT - 1;

  @Param({"none", "shadow", "gray"})
  public String mode;

  @Param("50")
  public int percent;

  private Engine engine;
  private FeatureStore store;
  private Event[] events;
  private ReleaseSnapshot snapshot;
  private long nowMillis;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    nowMillis = System.currentTimeMillis();
    EventGenerator generator = new EventGenerator(42, 100_000, "jmh", () -> nowMillis);
    events = new Event[EVENT_COUNT];
    for (int i = 0; i < EVENT_COUNT; i++) events[i] = EventParser.parse(generator.next());
    store = new FeatureStore(FeatureConfig.defaults());
    engine = new Engine(store, SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(), new RestrictionIndex());
    PolicyDocument live = DefaultPolicyPack.document();
    engine.install(CompiledPolicy.compile(live, engine.compiler()));
    // A candidate of the default pack's size: the same rules with other weights, as a typical change would be.
    CompiledPolicy candidate = CompiledPolicy.compile(live.withWeights(live.version() + 1, 0.9, 0.1), engine.compiler());
    snapshot = switch (mode) {
      case "none" -> null;
      case "shadow" -> new ReleaseSnapshot("rel_bench", candidate, false, 0);
      case "gray" -> new ReleaseSnapshot("rel_bench", candidate, true, percent);
      default -> throw new IllegalArgumentException("mode must be none, shadow or gray");
    };
    for (Event e : events) engine.decide(e, nowMillis);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  @Benchmark
  public Released decide() {
    return engine.decide(events[next++ & EVENT_MASK], nowMillis, snapshot);
  }
}
