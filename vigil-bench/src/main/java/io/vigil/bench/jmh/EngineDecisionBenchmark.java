package io.vigil.bench.jmh;

import io.vigil.bench.EventGenerator;
import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import java.nio.file.Path;
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
 * Latency of one {@link Engine#decide} call on the engine alone: no HTTP, no JSON, no journal
 * commit. The engine runs {@link DefaultPolicyPack} with {@link FeatureConfig#defaults()} and an
 * empty {@link ListIndex}; the events are {@link EventGenerator} traffic (100,000 accounts, about
 * 2 % attack bursts), parsed once in setup.
 *
 * <p>Run (after {@code ./mvnw -q -pl vigil-engine,vigil-bench -am package -DskipTests}):
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main EngineDecisionBenchmark \
 *     -f 1 -wi 3 -w 5s -i 5 -r 5s [-p referenceDir=data/reference] [-p stateDir=/tmp/vigil-jmh-windows]
 * </pre>
 * {@link Mode#SampleTime} reports the percentiles (p50, p99, p99.9) of single calls,
 * {@link Mode#AverageTime} the mean. Add {@code -prof stack} or {@code -prof gc} to see where the
 * time and the allocation go.
 *
 * <p>Every event carries the same {@code occurred_at} (setup time) and the engine is given that
 * clock, so all events stay inside every window: each key's window only grows during the run
 * (the worst case for window scans, which do not get cheaper with age). The state is pre-warmed
 * with one pass over all events, so each account has history before measuring starts. The engine
 * does not deduplicate event ids (the server does), so cycling through the array is legitimate.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class EngineDecisionBenchmark {
  static final int EVENT_COUNT = 1 << 18;
  static final int EVENT_MASK = EVENT_COUNT - 1;

  @Param("100000")
  public int accounts;

  @Param("42")
  public long seed;

  /**
   * A reference directory (geo and ASN databases and lists, see docs/signals.md); empty means the
   * built-in samples only, without geolocation.
   */
  @Param("")
  public String referenceDir;

  /**
   * A directory for the velocity windows on disk ({@link FeatureStore#onDisk}, default settings; it
   * is emptied); empty means in memory.
   */
  @Param("")
  public String stateDir;

  private Engine engine;
  private FeatureStore store;
  private Event[] events;
  private long nowMillis;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    nowMillis = System.currentTimeMillis();
    EventGenerator generator = new EventGenerator(seed, accounts, "jmh", () -> nowMillis);
    events = new Event[EVENT_COUNT];
    for (int i = 0; i < EVENT_COUNT; i++) events[i] = EventParser.parse(generator.next());

    ReferenceData reference;
    try {
      reference = referenceDir.isEmpty() ? ReferenceDataLoader.builtIn()
          : ReferenceDataLoader.load(Path.of(referenceDir), 1, 100_000);
    } catch (ReferenceDataException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    store = stateDir.isEmpty() ? new FeatureStore(FeatureConfig.defaults())
        : FeatureStore.onDisk(FeatureConfig.defaults(), Path.of(stateDir), WindowDiskSettings.defaults());
    engine = new Engine(store, SignalConfig.defaults(), new ListIndex(), reference, new RestrictionIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    for (Event e : events) engine.decide(e, nowMillis);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  @Benchmark
  public Decision decide() {
    return engine.decide(events[next++ & EVENT_MASK], nowMillis);
  }
}
