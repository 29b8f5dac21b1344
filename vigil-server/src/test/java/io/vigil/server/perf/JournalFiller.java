package io.vigil.server.perf;

import io.vigil.server.VigilApplication;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionService;
import io.vigil.server.journal.AnchorPaths;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestClockConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fills a store with decisions made by the server's own pipeline (engine, sealing, hash chain, rule
 * index, model vectors: the rows are exactly what a running server writes), spread over days of
 * simulated time: the server runs on the test clock, started {@code --days} ago and advanced as the
 * decisions are made, so that the journal covers those days as a live one would. For the console's
 * page-time measurement on a large journal (docs/performance.md); not part of the product.
 *
 * <p>With {@code --mode synthetic --templates-schema S}, it writes {@code --decisions} rows straight
 * into an empty journal instead, much faster: each is a decision of schema S (made by this filler's
 * live mode) given a new event id, decision id, account and time, without its personal fields, with
 * its request hash, hash chain and rule index computed by the server's own code, so that the server
 * starts on it and verifies it like any journal. The live mode then appends real decisions after it.
 *
 * <pre>
 * scripts/console/fill-journal.sh --storage-url jdbc:postgresql://127.0.0.1:5432/test?currentSchema=console5m \
 *   --storage-username postgres --data-dir /tmp/console5m --decisions 5000000 --accounts 100000 --days 30
 * </pre>
 */
public final class JournalFiller {
  private static final String[] CURRENCIES = {"USD", "USD", "USD", "EUR", "GBP", "BDT", "BDT", "INR"};
  private static final String[] COUNTRIES = {"US", "US", "GB", "DE", "BD", "BD", "IN", "NG", "BR"};

  private JournalFiller() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    long decisions = Long.parseLong(o.getOrDefault("decisions", "5000000"));
    int accounts = Integer.parseInt(o.getOrDefault("accounts", "100000"));
    int days = Integer.parseInt(o.getOrDefault("days", "30"));
    int threads = Integer.parseInt(o.getOrDefault("threads", "48"));
    Instant start = Instant.parse(o.getOrDefault("start", Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString()));
    // The test clock reads its start when first used: set it before anything touches it.
    System.setProperty("vigil.test.clock", start.toString());
    long simulatedMillis = Duration.ofDays(days).toMillis();

    ConfigurableApplicationContext context = server(o);
    if ("synthetic".equals(o.get("mode"))) {
      try {
        SyntheticJournal.write(context, o.get("templates-schema"), decisions, accounts, start, simulatedMillis);
      } finally {
        context.close();
      }
      // The anchors signed the empty journal; rows written outside the pipeline would read as tampering (as they
      // should on a real server). This journal is built on purpose: its first anchor is the next start's.
      Files.deleteIfExists(AnchorPaths.anchorFile(o.get("data-dir")));
      return;
    }
    DecisionService service = context.getBean(DecisionService.class);

    AtomicLong next = new AtomicLong();
    AtomicLong made = new AtomicLong();
    Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread w = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(0x5eedL * 31 + seed);
        for (long i = next.getAndIncrement(); i < decisions; i = next.getAndIncrement()) {
          byte[] body = Json.write(event(random, i, accounts)).getBytes(StandardCharsets.UTF_8);
          try {
            service.decide(body);
            made.incrementAndGet();
          } catch (ApiException e) {
            refused.computeIfAbsent(e.code(), k -> new AtomicLong()).incrementAndGet();
          }
        }
      }, "filler-" + t);
      w.start();
      workers.add(w);
    }
    // Simulated time follows progress: the clock is moved so that decision i happens at start + i/N of the days.
    long lastReport = System.nanoTime();
    while (workers.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(50);
      long target = start.toEpochMilli() + simulatedMillis * Math.min(next.get(), decisions) / decisions;
      long behind = target - TestClock.INSTANCE.millis();
      if (behind > 0) TestClock.advance(Duration.ofMillis(behind));
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        lastReport = System.nanoTime();
        double seconds = (lastReport - t0) / 1e9;
        System.out.printf("filled %,d of %,d decisions (%.0f/s), simulated %s, refused %s%n", made.get(), decisions,
            made.get() / seconds, TestClock.now(), refused);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("done: %,d decisions in %.0f s (%.0f/s), simulated %s to %s, refused %s%n", made.get(), seconds,
        made.get() / seconds, start, TestClock.now(), refused);
    context.close();
  }

  private static ConfigurableApplicationContext server(Map<String, String> o) {
    List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--vigil.data-dir=" + o.get("data-dir"),
        "--vigil.storage.url=" + o.get("storage-url"), "--vigil.storage.username=" + o.getOrDefault("storage-username", "postgres"),
        // a filler, not a service: the rows are the same, only the fsync per group commit is skipped
        "--vigil.storage.durable-commits=false", "--vigil.decisions.admission-budget-millis=1500",
        "--logging.level.root=WARN"));
    if (o.containsKey("storage-password")) springArgs.add("--vigil.storage.password=" + o.get("storage-password"));
    return new SpringApplication(VigilApplication.class, TestClockConfiguration.class).run(springArgs.toArray(String[]::new));
  }

  /** An account index skewed towards the first ones: a few accounts are much busier than most. */
  static int account(SplittableRandom r, int accounts) {
    return (int) Math.min(accounts - 1, Math.abs((long) (accounts * Math.pow(r.nextDouble(), 2.2))));
  }

  /** A payment, transfer, withdrawal or login of one of the accounts, some with a device and an IP (sealed personal data). */
  static Map<String, Object> event(SplittableRandom r, long i, int accounts) {
    int a = account(r, accounts);
    String account = "acc_" + a;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", "fill_" + Long.toString(i, 36) + "_" + Long.toString(r.nextLong() & 0xffffffL, 36));
    int kind = r.nextInt(100);
    String type = kind < 62 ? "payment" : kind < 78 ? "transfer" : kind < 88 ? "withdrawal" : "login";
    m.put("type", type);
    m.put("occurred_at", TestClock.now().toString());
    m.put("account_id", account);
    if (!type.equals("login")) {
      String currency = CURRENCIES[a % CURRENCIES.length];
      long amount = (long) Math.exp(3 + r.nextDouble() * 9); // 20 to 160,000 minor units, most small
      m.put("amount", amount);
      m.put("currency", currency);
    }
    m.put("channel", r.nextInt(4) == 0 ? "web" : "app");
    if (type.equals("payment")) {
      m.put("merchant_id", "mer_" + (int) (2000 * Math.pow(r.nextDouble(), 3)));
      if (r.nextBoolean()) m.put("card", Map.of("token", "tok_" + Integer.toString(a * 7 + r.nextInt(2), 36), "bin", "4" + (10000 + a % 90000)));
    }
    if (type.equals("transfer")) m.put("counterparty_id", "acc_" + r.nextInt(accounts));
    if (r.nextInt(3) == 0 || type.equals("login")) {
      m.put("ip", (11 + a % 200) + "." + (a / 200 % 250) + "." + r.nextInt(250) + "." + (1 + r.nextInt(250)));
      Map<String, Object> device = new HashMap<>();
      device.put("id", "dev_" + (a + (r.nextInt(50) == 0 ? r.nextInt(accounts) : 0)));
      m.put("device", device);
      m.put("account_country", COUNTRIES[a % COUNTRIES.length]);
    }
    if (type.equals("login")) m.put("login", Map.of("success", r.nextInt(20) != 0));
    return m;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + args[i]);
      o.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : List.of("data-dir", "storage-url")) {
      if (!o.containsKey(required)) throw new IllegalArgumentException("--" + required + " is required");
    }
    return o;
  }
}
