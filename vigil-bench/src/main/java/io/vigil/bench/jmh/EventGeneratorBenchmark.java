package io.vigil.bench.jmh;

import io.vigil.bench.EventGenerator;
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
 * Cost of producing one event body as UTF-8 JSON, i.e. the load generator's own per-request work.
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main EventGeneratorBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class EventGeneratorBenchmark {
  private EventGenerator generator;

  @Setup(Level.Trial)
  public void setUp() {
    generator = new EventGenerator(42, 100_000);
  }

  @Benchmark
  public byte[] nextJson() {
    return generator.nextJson();
  }
}
