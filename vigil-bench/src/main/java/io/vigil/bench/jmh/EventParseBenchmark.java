package io.vigil.bench.jmh;

import io.vigil.bench.EventGenerator;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of {@link EventParser#parse} on an already-decoded JSON map (validation, card-number scan,
 * normalization; JSON decoding itself is not included).
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main EventParseBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class EventParseBenchmark {
  static final int BODY_COUNT = 1 << 16;

  private Map<String, Object>[] bodies;
  private int next;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    EventGenerator generator = new EventGenerator(42, 100_000);
    bodies = new Map[BODY_COUNT];
    for (int i = 0; i < BODY_COUNT; i++) bodies[i] = generator.next();
  }

  @Benchmark
  public Event parse() {
    return EventParser.parse(bodies[next++ & (BODY_COUNT - 1)]);
  }
}
