package io.vigil.bench.jmh;

import io.vigil.bench.EventGenerator;
import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.model.Explanation;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The model in the hot path (D4): a LightGBM model with Vigil's default parameters (200 rounds,
 * 31 leaves) trained on the engine's own feature vectors of {@link EventGenerator} traffic, live in
 * the engine. {@code modelOnly} is the model part of a decision (probability and tree-SHAP
 * contributions of one vector); {@code decideWithModel} the whole decision, features included.
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main ModelScoringBenchmark -f 1 -wi 3 -w 3s -i 5 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ModelScoringBenchmark {
  static final int EVENT_COUNT = 1 << 17;
  static final int EVENT_MASK = EVENT_COUNT - 1;

  private Engine engine;
  private LightGbmModel model;
  private Event[] events;
  private double[][] vectors;
  private long nowMillis;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    nowMillis = System.currentTimeMillis();
    EventGenerator generator = new EventGenerator(42, 100_000, "jmh", () -> nowMillis);
    events = new Event[EVENT_COUNT];
    for (int i = 0; i < EVENT_COUNT; i++) events[i] = EventParser.parse(generator.next());
    engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    // Warm the state and collect the engine's vectors of money movements; a synthetic label that
    // depends on amount and velocity makes the trees real ones.
    int width = ModelFeatures.SCHEMA.size();
    List<double[]> rows = new ArrayList<>();
    for (Event e : events) {
      Decision d = engine.decide(e, nowMillis);
      if (d.model() != null) rows.add(d.model().features());
    }
    Random random = new Random(3);
    double[] matrix = new double[rows.size() * width];
    float[] labels = new float[rows.size()];
    int amount = ModelFeatures.SCHEMA.indexOf("amount_major"), velocity = ModelFeatures.SCHEMA.indexOf("account_count_1d");
    for (int i = 0; i < rows.size(); i++) {
      double[] v = rows.get(i);
      System.arraycopy(v, 0, matrix, i * width, width);
      double logit = -4 + (v[amount] > 300 ? 2 : 0) + (v[velocity] > 5 ? 1.5 : 0);
      labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1f : 0f;
    }
    model = LightGbmTrainer.train(new LightGbmTrainer.TrainingSet(ModelFeatures.SCHEMA, matrix, labels, 0, 1), Map.of(), "bench",
        nowMillis);
    engine.models().activate(model);
    vectors = rows.toArray(new double[0][]);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  /** The model part of one decision: the probability of one vector. */
  @Benchmark
  public double probabilityOnly() {
    return model.probability(vectors[next++ % vectors.length]);
  }

  /** The contributions behind one probability (tree SHAP), what an explanation costs. */
  @Benchmark
  public Explanation explainOnly() {
    return model.explain(vectors[next++ % vectors.length]);
  }

  /** The path contributions every decision now carries (one walk per tree). */
  @Benchmark
  public Explanation explainFastOnly() {
    return model.explainFast(vectors[next++ % vectors.length]);
  }

  /** A whole decision with the model live. */
  @Benchmark
  public Decision decideWithModel() {
    return engine.decide(events[next++ & EVENT_MASK], nowMillis);
  }
}
