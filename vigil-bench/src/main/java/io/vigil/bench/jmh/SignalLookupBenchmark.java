package io.vigil.bench.jmh;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.card.BinInfo;
import io.vigil.engine.signal.card.BinTable;
import io.vigil.engine.signal.identity.EmailDomains;
import io.vigil.engine.signal.phone.OperatorPrefixTable;
import io.vigil.engine.signal.phone.PhoneInfo;
import io.vigil.engine.signal.phone.PhoneSignals;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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

/**
 * Cost of the reference-data signals: a phone number described by libphonenumber (uncached) and
 * from the cache, a BIN looked up in the shipped sample table, a domain checked against the lists.
 * Inputs are precomputed; each method does one lookup.
 *
 * <pre>
 * java -cp vigil-bench/target/vigil-bench.jar org.openjdk.jmh.Main SignalLookupBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -bm avgt
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SignalLookupBenchmark {
  static final int INPUT_COUNT = 1 << 12;
  static final int MASK = INPUT_COUNT - 1;
  static final String[] BD_PREFIXES = {"13", "14", "15", "16", "17", "18", "19"};
  static final String[] BINS = {"411100", "41110055", "4217050", "540500", "999999", "52000042", "374512", "621050"};
  static final String[] DOMAINS = {"gmail.com", "x.mailinator.com", "example.com", "mail.example.co.uk", "yopmail.com"};

  private PhoneSignals phones;
  private BinTable bins;
  private EmailDomains domains;
  private String[] numbers;
  private String[] binInputs;
  private String[] domainInputs;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException, ReferenceDataException {
    try (Reader r = resource("phone-operators.csv")) {
      phones = new PhoneSignals(OperatorPrefixTable.load(r, "phone-operators.csv"), 2 * INPUT_COUNT);
    }
    try (Reader r = resource("bins-sample.csv")) {
      bins = BinTable.load(r, "bins-sample.csv");
    }
    try (Reader d = resource("disposable-email-domains.txt"); Reader f = resource("free-email-domains.txt")) {
      domains = EmailDomains.load(d, "disposable-email-domains.txt", f, "free-email-domains.txt");
    }
    Random random = new Random(42);
    numbers = new String[INPUT_COUNT];
    binInputs = new String[INPUT_COUNT];
    domainInputs = new String[INPUT_COUNT];
    for (int i = 0; i < INPUT_COUNT; i++) {
      // Nine in ten Bangladeshi mobiles, the rest US numbers; all distinct.
      numbers[i] = i % 10 == 9
          ? "+1415555" + String.format("%04d", i)
          : "+880" + BD_PREFIXES[random.nextInt(BD_PREFIXES.length)] + String.format("%08d", random.nextInt(100_000_000));
      binInputs[i] = BINS[random.nextInt(BINS.length)];
      domainInputs[i] = DOMAINS[random.nextInt(DOMAINS.length)];
    }
    for (String n : numbers) phones.describe(n); // fill the cache for describeCached
  }

  private static Reader resource(String name) {
    InputStream in = SignalLookupBenchmark.class.getResourceAsStream("/reference/" + name);
    if (in == null) throw new IllegalStateException("missing resource /reference/" + name);
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  @Benchmark
  public PhoneInfo describeUncached() {
    return phones.describeUncached(numbers[next++ & MASK]);
  }

  @Benchmark
  public PhoneInfo describeCached() {
    return phones.describe(numbers[next++ & MASK]);
  }

  @Benchmark
  public BinInfo binLookup() {
    return bins.lookup(binInputs[next++ & MASK]);
  }

  @Benchmark
  public boolean disposableDomain() {
    return domains.isDisposable(domainInputs[next++ & MASK]);
  }
}
