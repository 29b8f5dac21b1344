package io.vigil.bench;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.Entity;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.FeatureView;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Does the engine's memory grow with the events inside the windows, or only with the population?
 * In process, no HTTP: a fixed population (1 M accounts, 1.5 M devices, 500 k cards, 20 k merchants,
 * 600 k IPs) sends {@code events} events spread evenly over 30 days of event time through
 * {@link Engine#decide} with the default policy pack, and at the end the process's RSS after a full
 * GC (VmRSS and RssAnon from /proc/self/status: page cache is not in them), the heap used, RocksDB's
 * native memory and the state directory's size are printed.
 *
 * <h2>Population</h2>
 * Accounts: 80 % of events from the most active fifth. Each account has 1-3 devices, 1-3 IPs and,
 * for half of them, a card; device and IP numbers are drawn so that some are shared by several
 * accounts, and 3 % of events come from 500 carrier-NAT IPs and 2 % from 2,000 shared devices.
 * Merchants are Zipf (s = 1) over 20,000. Mix: payment 50, login 25 (8 % failed), transfer 10,
 * withdrawal 8, refund 5, registration 2 (of an existing account: the population is fixed); 10 %
 * of events carry an e-mail of the account. 2 % of events arrive up to an hour late.
 *
 * <p>Run (after {@code ./mvnw -o -q -pl vigil-engine,vigil-bench -am package -DskipTests}):
 * <pre>
 * java -Xmx3g -Xms3g -XX:+AlwaysPreTouch -cp vigil-bench/target/vigil-bench.jar io.vigil.bench.StateScaleBench \
 *     --events 20000000 --dir /tmp/vigil-state [--memory] [--cache-mb 256] [--apply-only]
 * </pre>
 */
public final class StateScaleBench {
  static final int ACCOUNTS = 1_000_000;
  static final int DEVICES = 1_500_000;
  static final int CARDS = 500_000;
  static final int MERCHANTS = 20_000;
  static final int IPS = 600_000;
  static final long DAY = 86_400_000L;
  static final long SPAN_MILLIS = 30 * DAY;

  private static final ExchangeRates RATES = ReferenceDataLoader.builtIn().rates();
  private final SplittableRandom random = new SplittableRandom(42);
  private final double[] merchantCdf = new double[MERCHANTS];
  private final long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  StateScaleBench() {
    double total = 0;
    for (int i = 0; i < MERCHANTS; i++) merchantCdf[i] = total += 1.0 / (i + 1);
    for (int i = 0; i < MERCHANTS; i++) merchantCdf[i] /= total;
  }

  public static void main(String[] args) throws Exception {
    long events = 5_000_000;
    Path dir = Path.of("/tmp/vigil-state-bench");
    boolean memory = false;
    boolean decide = true;
    long cacheMb = 256;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        case "--memory" -> memory = true;
        case "--cache-mb" -> cacheMb = Long.parseLong(args[++i]);
        case "--apply-only" -> decide = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println("command: java " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
        + " io.vigil.bench.StateScaleBench " + String.join(" ", args));
    new StateScaleBench().run(events, memory ? null : dir, cacheMb, decide);
  }

  void run(long events, Path dir, long cacheMb, boolean decide) throws IOException {
    FeatureConfig config = FeatureConfig.defaults();
    WindowDiskSettings settings = new WindowDiskSettings(cacheMb * WindowDiskSettings.MB,
        WindowDiskSettings.defaults().blockCacheBytes(), WindowDiskSettings.defaults().writeBufferBytes());
    FeatureStore store = dir == null ? new FeatureStore(config) : FeatureStore.onDisk(config, dir, settings);
    Engine engine = new Engine(store, SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(),
        new RestrictionIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    System.out.printf(Locale.ROOT, "%,d events over 30 days, %s%n", events,
        dir == null ? "windows in memory" : "windows on disk in " + dir + ", cache " + cacheMb + " MB");
    System.out.println(decide ? "Engine.decide, default policy pack" : "FeatureStore.apply and every window of the event's keys");
    int windowCount = config.windows().size();
    long clock = t0;
    long started = System.nanoTime(), lastReport = started;
    long reportEvery = Math.max(1, events / 10);
    for (long i = 0; i < events; i++) {
      long t = t0 + i * SPAN_MILLIS / events;
      if (random.nextInt(100) < 2) t -= random.nextLong(Math.min(3_600_000L, t - t0 + 1));
      clock = Math.max(clock, t0 + i * SPAN_MILLIS / events);
      Event event = EventParser.parse(next(i, t));
      if (decide) {
        engine.decide(event, clock);
      } else {
        // What a decision does to the windows: record the event, then read every window of its keys.
        FeatureView view = store.apply(event, clock, RATES);
        for (Entity entity : Entity.values()) view.value(entity, windowCount - 1, 0);
      }
      if (i > 0 && i % 600_000 == 0) engine.features().sweep(clock); // about once a minute at 10,000 events/s
      if ((i + 1) % reportEvery == 0) {
        long now = System.nanoTime();
        FeatureStore.DiskStats d = store.diskStats();
        System.out.printf(Locale.ROOT, "%,12d events  %,8.0f events/s (last tenth)  cached keys %,d  hit ratio %.2f%n",
            i + 1, reportEvery / ((now - lastReport) / 1e9), d.cachedKeys(),
            d.cacheHits() / (double) Math.max(1, d.cacheHits() + d.cacheMisses()));
        lastReport = now;
        if (i + 1 < events && (i + 1) % (reportEvery * 2) == 0) measure(store, i + 1, (now - started) / 1e9);
      }
    }
    measure(store, events, (System.nanoTime() - started) / 1e9);
    store.close();
  }

  /**
   * Prints RSS and the rest after a full GC. Within one run the state after k events is what a run
   * of k events holds: the retention (31 days) is longer than the span, so nothing has expired.
   */
  private static void measure(FeatureStore store, long events, double seconds) throws IOException {
    // CPU time, which a shared machine does not inflate: the deciding thread, and the process (RocksDB's threads too).
    double threadCpuSeconds = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    double processCpuSeconds = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
    System.gc();
    System.gc();
    try {
      Thread.sleep(3_000); // G1 gives the freed heap back to the OS in the background
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    Map<String, Long> status = procStatus();
    FeatureStore.DiskStats d = store.diskStats();
    System.out.printf(Locale.ROOT, "RESULT events=%d seconds=%.0f events/s=%.0f vmRssMB=%d rssAnonMB=%d heapUsedMB=%d "
            + "heapCommittedMB=%d rocksdbNativeMB=%d diskMB=%d cachedMB=%d cachedKeys=%d hitRatio=%.3f accounts=%d "
            + "mainCpuMicrosPerEvent=%.1f processCpuMicrosPerEvent=%.1f%n",
        events, seconds, events / seconds, status.get("VmRSS") / 1024, status.get("RssAnon") / 1024,
        (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20, d.nativeBytes() >> 20, d.diskBytes() >> 20,
        d.cachedBytes() >> 20, d.cachedKeys(), d.cacheHits() / (double) Math.max(1, d.cacheHits() + d.cacheMisses()),
        store.accountCount(), threadCpuSeconds * 1e6 / events, processCpuSeconds * 1e6 / events);
  }

  private static Map<String, Long> procStatus() throws IOException {
    Map<String, Long> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      String[] parts = line.split("\\s+");
      if (parts.length >= 2 && List.of("VmRSS:", "RssAnon:", "RssFile:").contains(parts[0])) {
        out.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1])); // kB
      }
    }
    return out;
  }

  private int account() {
    int a = random.nextInt(100) < 80 ? random.nextInt(ACCOUNTS / 5) : ACCOUNTS / 5 + random.nextInt(ACCOUNTS * 4 / 5);
    return (int) ((a * 2_654_435_761L) % ACCOUNTS); // the active fifth spread over the numbers
  }

  private String device(int a) {
    if (random.nextInt(100) < 2) return "dshared" + Integer.toHexString(random.nextInt(2_000));
    int own = 1 + Math.floorMod(a * 31, 3);
    long d = (a + (long) random.nextInt(own) * 1_000_003L) % DEVICES;
    return "dev" + Long.toHexString(d);
  }

  private String ip(int a) {
    if (random.nextInt(100) < 3) return "100.64." + random.nextInt(2) + "." + random.nextInt(250);
    int own = 1 + Math.floorMod(a * 17, 3);
    long n = (a * 7L + random.nextInt(own) * 999_983L) % IPS;
    return "10." + (n >> 16) + "." + ((n >> 8) & 255) + "." + (n & 255);
  }

  private String merchant() {
    double u = random.nextDouble();
    int lo = 0, hi = MERCHANTS - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (merchantCdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return "mer" + Integer.toHexString(lo);
  }

  private Map<String, Object> next(long i, long t) {
    int a = account();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", "ev" + Long.toHexString(i));
    int kind = random.nextInt(100);
    String type = kind < 50 ? "payment" : kind < 75 ? "login" : kind < 85 ? "transfer" : kind < 93 ? "withdrawal"
        : kind < 98 ? "refund" : "registration";
    m.put("type", type);
    m.put("occurred_at", Instant.ofEpochMilli(t).toString());
    m.put("account_id", "acc" + Integer.toHexString(a));
    m.put("ip", ip(a));
    m.put("device", Map.of("id", device(a)));
    if (random.nextInt(10) == 0) m.put("email", "u" + Integer.toHexString(a) + "@example.com");
    switch (type) {
      case "payment", "refund" -> {
        m.put("merchant_id", merchant());
        m.put("amount", 100 + random.nextInt(30_000));
        m.put("currency", "USD");
        if (a % 2 == 0) m.put("card", Map.of("token", "tok" + Integer.toHexString(a / 2 % CARDS)));
      }
      case "transfer", "withdrawal" -> {
        m.put("amount", 1_000 + random.nextInt(100_000));
        m.put("currency", "USD");
      }
      case "login" -> m.put("login", Map.of("success", random.nextInt(100) >= 8));
      default -> { }
    }
    return m;
  }
}
