package io.vigil.server.perf;

import io.vigil.server.VigilApplication;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.cases.CaseOpener;
import io.vigil.server.cases.sla.SlaSweep;
import io.vigil.server.cases.sla.SlaSweepDriver;
import io.vigil.server.decision.DecisionService;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestOperators;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replays a slice of the Fraud Detection Handbook's transactions through a real server (embedded
 * store, fresh data directory, {@link TestClock} moved to each transaction's time), lets simulated
 * reviewers work the cases it opens through the cases API, and reads the review loop's measures at
 * the end, next to what the data's ground truth says. An experiment, not part of the test suite:
 * {@code scripts/cases/review-simulation.sh --help}. docs/cases.md shows a run.
 *
 * <p>Decisions go through the server's {@link DecisionService} in-process (the same pipeline as
 * {@code POST /v1/decisions}, without HTTP and request signing); everything the reviewers do, and
 * the rules added and the measures read, go over HTTP with operator sessions.
 */
public final class ReviewSimulation {
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;
  /** Transactions within this span of each other are decided at once, on several threads (see Run.batchEnd). */
  private static final long BATCH_SPAN_MILLIS = 300_000L;
  private static final DateTimeFormatter FDH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Set<String> INTERCEPTING = Set.of("DENY", "CHALLENGE", "REVIEW", "HOLD");
  private static final String USAGE = """
      review-simulation.sh [--name value]...
        --input FILE               FDH transactions (default /work/shared/datasets/fdh/transactions.csv.gz)
        --from YYYY-MM-DD          first day replayed (default 2018-07-02)
        --days N                   days replayed (default 14)
        --data-dir DIR             a new, empty data directory for the embedded store (default: a fresh temp dir)
        --rules review|default     review: add the two review rules described in docs/cases.md (default); default: seeded policy only
        --review-amount-min USD    the large-payment review rule's threshold (default 200)
        --reviewers K              simulated reviewers (default 3)
        --shift-starts HH:MM,...   shift starts (UTC), given to the reviewers in turn (default 07:00,15:00)
        --shift-hours H            shift length (default 8)
        --handling-minutes M       mean handling time of a case; each is drawn uniformly in [0.5 M, 1.5 M] (default 8)
        --cases-per-hour-max N     most cases a reviewer closes in a clock hour (default 6)
        --idle-poll-minutes M      how long a reviewer waits after take-next found nothing (default 10)
        --error-rate P             share of verdicts the reviewer gets wrong (default 0.03)
        --drain-hours H            reviewers keep working this long after the last transaction (default 24)
        --seed N                   random seed of handling times and errors (default 42)
        --daily-review-date D      the day of GET /v1/cases/daily-review (default: the 8th day replayed)
        --tune-after-days N        after N days, an analyst reads the measures so far and disables each added rule whose
                                   false-interception rate is over --tune-rate-max on at least --tune-judged-min judged
                                   decisions; the report then gives the days before and after apart (default: no tuning)
        --tune-rate-max P          (default 0.20)
        --tune-judged-min N        (default 30)
        --threads N                decisions made at once (default 8; never two of one customer, see docs/cases.md)
        --report FILE              JSON report (default review-simulation-report.json)
      """;

  private ReviewSimulation() {}

  /** One FDH transaction of the slice. */
  record Tx(String id, long atMillis, String customer, String terminal, long amountMinor, boolean fraud) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    Path input = Path.of(o.getOrDefault("input", "/work/shared/datasets/fdh/transactions.csv.gz"));
    LocalDate from = LocalDate.parse(o.getOrDefault("from", "2018-07-02"));
    int days = Integer.parseInt(o.getOrDefault("days", "14"));
    long fromMillis = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long toMillis = fromMillis + days * DAY;
    long t0 = System.nanoTime();
    List<Tx> slice = read(input, fromMillis, toMillis);
    if (slice.isEmpty()) throw new IllegalArgumentException("no transaction in " + from + " + " + days + " days");
    System.out.printf("read %,d transactions (%,d fraud) from %s to %s in %.0f s%n", slice.size(),
        slice.stream().filter(Tx::fraud).count(), from, from.plusDays(days), (System.nanoTime() - t0) / 1e9);
    // The test clock reads its start when first used: set it before anything touches it.
    System.setProperty("vigil.test.clock", Instant.ofEpochMilli(slice.get(0).atMillis() - MINUTE).toString());

    Path dataDir = o.containsKey("data-dir") ? Path.of(o.get("data-dir")) : Files.createTempDirectory("vigil-review-sim");
    ConfigurableApplicationContext context = server(dataDir);
    try {
      new ReviewSimulation.Run(o, context, slice, fromMillis, toMillis).run();
    } finally {
      context.close();
    }
  }

  private static ConfigurableApplicationContext server(Path dataDir) {
    String[] springArgs = {"--server.port=0", "--vigil.data-dir=" + dataDir,
        // a simulation, not a service: the rows are the same, only the fsync per group commit is skipped
        "--vigil.storage.durable-commits=false",
        // the simulation opens cases and sweeps deadlines itself, at simulated moments (see Run.housekeeping)
        "--vigil.cases.opener-poll-millis=60000", "--vigil.cases.sla.enabled=false",
        "--vigil.cases.measures.daily-review.enabled=false", "--vigil.decisions.admission-budget-millis=1500",
        "--logging.level.root=WARN"};
    return new SpringApplication(VigilApplication.class, TestClockConfiguration.class).run(springArgs);
  }

  /** The slice [fromMillis, toMillis) of the FDH file, in file order (time order). */
  static List<Tx> read(Path input, long fromMillis, long toMillis) throws IOException {
    List<Tx> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(input), 1 << 16),
        StandardCharsets.UTF_8), 1 << 16)) {
      String header = r.readLine();
      if (header == null || !header.startsWith("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,")) {
        throw new IOException(input + " is not the FDH transactions file (header " + header + ")");
      }
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(",", -1);
        long at = LocalDateTime.parse(f[1], FDH_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        if (at < fromMillis) continue;
        if (at >= toMillis) break;
        // as vigil-eval's replay: major units to cents, rounded half-even (a few FDH amounts carry more digits)
        long minor = new BigDecimal(f[4]).movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        out.add(new Tx(f[0], at, f[2], f[3], minor, f[7].equals("1")));
      }
    }
    return out;
  }

  /** One simulated reviewer: the operator, its schedule, its session. */
  static final class Reviewer {
    final String name;
    final TestOperators.Signed operator;
    final ReviewerSchedule schedule;
    String cookie;
    String csrf;
    long sessionShiftStart = Long.MIN_VALUE;
    int closed;

    Reviewer(String name, TestOperators.Signed operator, ReviewerSchedule schedule) {
      this.name = name;
      this.operator = operator;
      this.schedule = schedule;
      this.cookie = operator.session().cookie();
      this.csrf = operator.session().csrfToken();
    }
  }

  /** A reviewer's next step: take a case, or close the one taken. */
  record Wake(long atMillis, int reviewer, String caseId) {}

  /** A closed case as the simulation saw it. */
  record Closed(String caseId, String queueId, String verdict, boolean truthFraud, boolean wrong, List<String> decisionIds,
      List<String> origins) {}

  private static final class Run {
    private final Map<String, String> o;
    private final ConfigurableApplicationContext context;
    private final List<Tx> slice;
    private final long fromMillis;
    private final long toMillis;
    private final String base;
    private final ApiClient admin;
    private final DecisionService decisions;
    private final CaseOpener opener;
    private final SlaSweep sweep;
    private final SplittableRandom random;
    private final List<Reviewer> reviewers = new ArrayList<>();
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
        ? Long.compare(a.atMillis, b.atMillis) : Integer.compare(a.reviewer, b.reviewer));
    private final Map<String, Integer> byDecision = new ConcurrentHashMap<>();
    private final String[] action;
    private final List<String>[] rulesOf;
    private final List<Closed> closedCases = new ArrayList<>();
    private final Map<String, Integer> refusedVerdicts = new TreeMap<>();
    private final double errorRate;
    private final double handlingMinutes;
    private final long idlePollMillis;
    private final AtomicInteger overloadedRetries = new AtomicInteger();
    private long nextHousekeeping;
    private long housekeepingNanos;
    private long decideNanos;
    private int takes;
    private int emptyTakes;
    /** When the analyst reads the measures and tunes the rules; never without --tune-after-days. */
    private final long tuneAtMillis;
    /** What the analyst read and did, once done. */
    private Map<String, Object> tuning;

    Run(Map<String, String> o, ConfigurableApplicationContext context, List<Tx> slice, long fromMillis, long toMillis) {
      this.o = o;
      this.context = context;
      this.slice = slice;
      this.fromMillis = fromMillis;
      this.toMillis = toMillis;
      this.base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
      this.admin = new ApiClient(base);
      this.decisions = context.getBean(DecisionService.class);
      this.opener = context.getBean(CaseOpener.class);
      this.sweep = context.getBean(SlaSweep.class);
      this.random = new SplittableRandom(Long.parseLong(o.getOrDefault("seed", "42")));
      this.action = new String[slice.size()];
      @SuppressWarnings("unchecked")
      List<String>[] rules = new List[slice.size()];
      this.rulesOf = rules;
      this.errorRate = Double.parseDouble(o.getOrDefault("error-rate", "0.03"));
      this.handlingMinutes = Double.parseDouble(o.getOrDefault("handling-minutes", "8"));
      this.idlePollMillis = ReviewerSchedule.minutes(Double.parseDouble(o.getOrDefault("idle-poll-minutes", "10")));
      if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("--error-rate is a share in [0, 1]");
      if (handlingMinutes <= 0) throw new IllegalArgumentException("--handling-minutes must be positive");
      int tuneAfterDays = Integer.parseInt(o.getOrDefault("tune-after-days", "0"));
      if (tuneAfterDays < 0) throw new IllegalArgumentException("--tune-after-days is 0 (no tuning) or more");
      this.tuneAtMillis = tuneAfterDays == 0 ? Long.MAX_VALUE : fromMillis + tuneAfterDays * DAY;
    }

    void run() throws IOException {
      String rules = o.getOrDefault("rules", "review");
      List<Map<String, Object>> added = rules.equals("review") ? addReviewRules() : List.of();
      if (!rules.equals("review") && !rules.equals("default")) throw new IllegalArgumentException("--rules is review or default");
      signInReviewers();
      long started = System.nanoTime();
      long lastReport = started;
      nextHousekeeping = slice.get(0).atMillis();
      int threads = Integer.parseInt(o.getOrDefault("threads", "8"));
      if (threads < 1 || threads > 64) throw new IllegalArgumentException("--threads is 1 to 64");
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int i = 0; i < slice.size(); ) {
          int end = batchEnd(i, threads * 4);
          long last = slice.get(end - 1).atMillis();
          if (last >= tuneAtMillis && tuning == null) {
            workUntil(tuneAtMillis);
            moveClockTo(tuneAtMillis);
            housekeeping();
            tuning = tune(added);
          }
          workUntil(last);
          moveClockTo(last);
          List<Future<?>> pending = new ArrayList<>();
          for (int k = i; k < end; k++) {
            int index = k;
            pending.add(pool.submit(() -> decide(index, slice.get(index))));
          }
          long d0 = System.nanoTime();
          for (Future<?> f : pending) f.get();
          decideNanos += System.nanoTime() - d0;
          i = end;
          if (System.nanoTime() - lastReport > 20_000_000_000L) {
            lastReport = System.nanoTime();
            System.out.printf("replayed %,d of %,d (%.0f/s), simulated %s, cases closed %,d; %.0f s deciding, %.0f s opening cases and sweeping%n",
                i, slice.size(), i / ((lastReport - started) / 1e9), Instant.ofEpochMilli(last), closedCases.size(), decideNanos / 1e9,
                housekeepingNanos / 1e9);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        pool.shutdownNow();
      }
      long lastTx = slice.get(slice.size() - 1).atMillis();
      long drainUntil = lastTx + Long.parseLong(o.getOrDefault("drain-hours", "24")) * HOUR;
      workUntil(drainUntil);
      moveClockTo(drainUntil);
      housekeeping();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("replay and review done in %.0f s; %,d take-next calls (%,d found nothing), %,d cases closed%n",
          seconds, takes, emptyTakes, closedCases.size());
      report(added, seconds);
    }

    // ---- the server side -------------------------------------------------------------------

    /**
     * Two review rules a payments team would run on this data: a large payment, and a payment far
     * above the customer's own 30-day average. The seeded policy alone sends next to nothing to
     * review on FDH (no devices, IPs or logins; its amount thresholds are far above FDH amounts).
     */
    private List<Map<String, Object>> addReviewRules() {
      String amountMin = o.getOrDefault("review-amount-min", "200");
      double min = Double.parseDouble(amountMin);
      List<Map<String, Object>> rules = List.of(
          rule("review_large_payment", "Payments of " + amountMin + " USD or more are reviewed", "event.amount_base >= " + min,
              "Payment of {event.amount_major} {event.currency} ({event.amount_base} USD), review from " + amountMin + " USD"),
          rule("review_spend_spike", "A payment over 4 times the customer's 30-day average (with at least 5 payments in 30 days)",
              "velocity.account.count_30d >= 5 && event.amount_major * double(velocity.account.count_30d)"
                  + " > 4.0 * double(velocity.account.sum_30d) / 100.0",
              "Amount {event.amount_major} is over 4 times the 30-day average ({velocity.account.count_30d} payments,"
                  + " {velocity.account.sum_30d} minor units)"));
      for (Map<String, Object> r : rules) {
        ApiClient.Reply reply = admin.post("/v1/rules", r);
        if (reply.status() != 201) throw new IllegalStateException("adding rule " + r.get("id") + " failed: " + reply.status() + " " + reply.body());
      }
      return rules;
    }

    /**
     * The analyst's weekly look at the rules: the measures of the days so far, and each rule this
     * run added that intercepts too many good customers (on enough judged decisions to tell) is
     * disabled through the rules API. The seeded rules are left alone: a rule that only adds points
     * shares its decisions' rate without deciding them.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> tune(List<Map<String, Object>> added) {
      double rateMax = Double.parseDouble(o.getOrDefault("tune-rate-max", "0.20"));
      int judgedMin = Integer.parseInt(o.getOrDefault("tune-judged-min", "30"));
      Map<String, Object> m = measures(fromMillis, tuneAtMillis);
      Set<Object> ours = added.stream().map(r -> r.get("id")).collect(Collectors.toSet());
      List<Map<String, Object>> disabled = new ArrayList<>();
      for (Map<String, Object> r : (List<Map<String, Object>>) ((Map<String, Object>) m.get("false_interception")).get("by_rule")) {
        Object id = r.get("rule_id");
        int judged = ((Number) r.get("judged")).intValue();
        if (!ours.contains(id) || judged < judgedMin || !(r.get("rate") instanceof Number rate) || rate.doubleValue() <= rateMax) {
          continue;
        }
        ApiClient.Reply reply = admin.post("/v1/rules/" + id + "/disable", Map.of());
        if (reply.status() != 200) throw new IllegalStateException("disabling " + id + ": " + reply.status() + " " + reply.body());
        disabled.add(Map.of("rule_id", id, "rate", rate, "judged", judged));
      }
      System.out.printf("tuning at %s: disabled %s%n", Instant.ofEpochMilli(tuneAtMillis), disabled);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("at", Instant.ofEpochMilli(tuneAtMillis).toString());
      t.put("rate_max", rateMax);
      t.put("judged_min", judgedMin);
      t.put("disabled", disabled);
      return t;
    }

    private static Map<String, Object> rule(String id, String description, String expression, String reason) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", id);
      r.put("description", description);
      r.put("event_types", List.of("payment"));
      r.put("expression", expression);
      r.put("effect", Map.of("action", "REVIEW"));
      r.put("reason", reason);
      return r;
    }

    private void signInReviewers() {
      int k = Integer.parseInt(o.getOrDefault("reviewers", "3"));
      String[] starts = o.getOrDefault("shift-starts", "07:00,15:00").split(",");
      Duration shift = Duration.ofMinutes(Math.round(Double.parseDouble(o.getOrDefault("shift-hours", "8")) * 60));
      int perHour = Integer.parseInt(o.getOrDefault("cases-per-hour-max", "6"));
      if (k < 1 || k > 100) throw new IllegalArgumentException("--reviewers is 1 to 100");
      for (int i = 0; i < k; i++) {
        String name = "sim.reviewer" + (i + 1);
        TestOperators.Signed signed = TestOperators.signIn(base, name, Set.of(Role.REVIEWER));
        ReviewerSchedule schedule = new ReviewerSchedule(LocalTime.parse(starts[i % starts.length].strip()), shift, perHour);
        reviewers.add(new Reviewer(name, signed, schedule));
        long first = schedule.nextWorking(slice.get(0).atMillis());
        wakes.add(new Wake(first, i, null));
      }
    }

    /**
     * The end (exclusive) of the batch of transactions from i decided at once: at most rowsMax, within
     * {@link #BATCH_SPAN_MILLIS} of the first, and no customer twice (a customer's payments are decided
     * one after the other, in order, as their velocity features need).
     */
    private int batchEnd(int i, int rowsMax) {
      Set<String> customers = new HashSet<>();
      long first = slice.get(i).atMillis();
      int j = i;
      while (j < slice.size() && j - i < rowsMax && slice.get(j).atMillis() - first <= BATCH_SPAN_MILLIS
          && customers.add(slice.get(j).customer())) {
        j++;
      }
      return j;
    }

    private void decide(int i, Tx tx) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("event_id", "fdh-" + tx.id());
      body.put("type", "payment");
      body.put("occurred_at", Instant.ofEpochMilli(tx.atMillis()).toString());
      body.put("account_id", tx.customer());
      body.put("merchant_id", tx.terminal());
      body.put("amount", tx.amountMinor());
      body.put("currency", "USD");
      byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
      Map<String, Object> response = null;
      for (int attempt = 1; response == null; attempt++) {
        try {
          response = Json.readMap(decisions.decide(bytes).json());
        } catch (ApiException e) {
          // overloaded (admission budget spent, e.g. while the JIT warms up): the payment system would retry
          if (!e.code().equals("overloaded") || attempt == 5) {
            action[i] = "refused:" + e.code();
            rulesOf[i] = List.of();
            return;
          }
          overloadedRetries.incrementAndGet();
        }
      }
      action[i] = (String) response.get("action");
      byDecision.put((String) response.get("decision_id"), i);
      List<String> fired = new ArrayList<>();
      if (response.get("reasons") instanceof List<?> reasons) {
        for (Object r : reasons) {
          if (r instanceof Map<?, ?> m && m.get("rule_id") instanceof String id) fired.add(id);
        }
      }
      rulesOf[i] = fired;
    }

    private void moveClockTo(long millis) {
      long behind = millis - TestClock.INSTANCE.millis();
      if (behind > 0) TestClock.advance(Duration.ofMillis(behind));
    }

    /** Opens the cases of what was decided and sweeps deadlines, as the server's own timers would, every 5 simulated minutes. */
    private void housekeeping() {
      long t0 = System.nanoTime();
      try {
        housekeepingPass();
      } finally {
        housekeepingNanos += System.nanoTime() - t0;
      }
    }

    private void housekeepingPass() {
      while (opener.runOnce() > 0) {
        // more decisions waiting for their case
      }
      for (int pass = 0; pass < 20 && SlaSweepDriver.runOnce(sweep) > 0; pass++) {
        // more deadlines due
      }
    }

    /** Runs every reviewer step and housekeeping due up to t, in time order. */
    private void workUntil(long t) {
      while (true) {
        Wake next = wakes.peek();
        long nextWake = next == null ? Long.MAX_VALUE : next.atMillis();
        if (nextHousekeeping <= t && nextHousekeeping <= nextWake) {
          moveClockTo(nextHousekeeping);
          housekeeping();
          nextHousekeeping += 5 * MINUTE;
          continue;
        }
        if (nextWake > t) return;
        wakes.poll();
        moveClockTo(next.atMillis());
        housekeeping();
        if (next.caseId() == null) take(next.reviewer(), next.atMillis());
        else close(next.reviewer(), next.caseId(), next.atMillis());
      }
    }

    // ---- the reviewers ---------------------------------------------------------------------

    private void take(int index, long at) {
      Reviewer r = reviewers.get(index);
      if (!r.schedule.onShift(at)) {
        wakes.add(new Wake(r.schedule.nextWorking(at), index, null));
        return;
      }
      TestOperators.Exchange reply = call(r, "POST", "/v1/cases/take-next", Map.of());
      takes++;
      if (reply.status() == 200) {
        String caseId = (String) reply.json().get("case_id");
        long handling = ReviewerSchedule.minutes(handlingMinutes * (0.5 + random.nextDouble()));
        wakes.add(new Wake(at + handling, index, caseId));
        return;
      }
      if (reply.status() != 404) throw new IllegalStateException("take-next: " + reply.status() + " " + reply.body());
      emptyTakes++;
      long again = at + idlePollMillis;
      // Nothing waits: look again later, or at the next shift when this one ends first.
      wakes.add(new Wake(again < r.schedule.shiftEnd(at) ? again : r.schedule.nextWorking(r.schedule.shiftEnd(at)), index, null));
    }

    @SuppressWarnings("unchecked")
    private void close(int index, String caseId, long at) {
      Reviewer r = reviewers.get(index);
      TestOperators.Exchange read = call(r, "GET", "/v1/cases/" + caseId, null);
      if (read.status() != 200) throw new IllegalStateException("reading case " + caseId + ": " + read.status() + " " + read.body());
      Map<String, Object> c = read.json();
      List<String> ids = new ArrayList<>();
      List<String> origins = new ArrayList<>();
      boolean fraud = false;
      for (Map<String, Object> d : (List<Map<String, Object>>) c.get("decisions")) {
        String id = (String) d.get("decision_id");
        ids.add(id);
        origins.add((String) d.get("origin"));
        Integer i = byDecision.get(id);
        if (i != null && slice.get(i).fraud()) fraud = true;
      }
      boolean wrong = random.nextDouble() < errorRate;
      boolean saysFraud = fraud != wrong;
      Map<String, Object> verdict = new LinkedHashMap<>();
      verdict.put("verdict", saysFraud ? "confirmed_fraud" : "legitimate");
      verdict.put("reason_code", saysFraud ? "stolen_card" : "customer_confirmed");
      verdict.put("expected_version", c.get("version"));
      TestOperators.Exchange closed = call(r, "POST", "/v1/cases/" + caseId + "/verdict", verdict);
      if (closed.status() == 200) {
        Map<String, Object> done = (Map<String, Object>) closed.json().get("case");
        closedCases.add(new Closed(caseId, (String) done.get("queue_id"), (String) verdict.get("verdict"), fraud, wrong, ids, origins));
        r.closed++;
        r.schedule.closed(at);
      } else {
        // e.g. escalated by its deadline while the reviewer had it: it waits for take-next again
        String code = closed.status() + " " + String.valueOf(closed.json().get("error") instanceof Map<?, ?> e ? e.get("code") : "");
        refusedVerdicts.merge(code, 1, Integer::sum);
      }
      wakes.add(new Wake(r.schedule.nextWorking(at), index, null));
    }

    /** A reviewer's request with its own session; signs in again (password and TOTP) when the session has ended. */
    private TestOperators.Exchange call(Reviewer r, String method, String path, Map<String, ?> body) {
      long shiftStart = r.schedule.shiftStart(TestClock.INSTANCE.millis());
      if (shiftStart != r.sessionShiftStart) {
        // a new shift: the session of the last one has long ended (30 minutes idle)
        if (r.sessionShiftStart != Long.MIN_VALUE) signInAgain(r);
        r.sessionShiftStart = shiftStart;
      }
      TestOperators.Exchange reply = send(r, method, path, body);
      if (reply.status() == 401) {
        signInAgain(r);
        reply = send(r, method, path, body);
      }
      return reply;
    }

    private TestOperators.Exchange send(Reviewer r, String method, String path, Map<String, ?> body) {
      if (method.equals("GET")) return TestOperators.get(base, path, "Cookie", r.cookie);
      return TestOperators.send(base, method, path, body, "Cookie", r.cookie, "X-CSRF-Token", r.csrf);
    }

    private void signInAgain(Reviewer r) {
      TestOperators.Exchange login = TestOperators.post(base, "/v1/auth/login",
          Map.of("username", r.operator.username(), "password", r.operator.password()));
      if (login.status() != 200 || !"totp_required".equals(login.json().get("status"))) {
        throw new IllegalStateException(r.name + " sign-in: " + login.status() + " " + login.body());
      }
      String code = r.operator.nextCode();
      if (code == null) {
        TestClock.advance(Duration.ofSeconds(31));
        code = r.operator.nextCode();
      }
      TestOperators.Exchange totp = TestOperators.post(base, "/v1/auth/login/totp", Map.of("code", code), "Cookie", login.cookie());
      if (totp.status() != 200 || !"signed_in".equals(totp.json().get("status"))) {
        throw new IllegalStateException(r.name + " TOTP: " + totp.status() + " " + totp.body());
      }
      r.cookie = totp.cookie();
      r.csrf = (String) totp.json().get("csrf_token");
    }

    // ---- the report ------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void report(List<Map<String, Object>> added, double seconds) throws IOException {
      Map<String, Object> measures = measures(fromMillis, toMillis);
      String day = o.getOrDefault("daily-review-date", LocalDate.ofEpochDay(fromMillis / DAY).plusDays(7).toString());
      ApiClient.Reply d = admin.get("/v1/cases/daily-review?date=" + day);
      if (d.status() != 200) throw new IllegalStateException("daily review: " + d.status() + " " + d.body());
      Map<String, Object> daily = d.json();
      Map<String, Object> truth = truth(fromMillis, toMillis);

      Map<String, Object> report = new LinkedHashMap<>();
      report.put("slice", Map.of("input", o.getOrDefault("input", "/work/shared/datasets/fdh/transactions.csv.gz"),
          "from", Instant.ofEpochMilli(fromMillis).toString(), "to", Instant.ofEpochMilli(toMillis).toString(),
          "transactions", slice.size(), "fraud", slice.stream().filter(Tx::fraud).count()));
      Map<String, Object> sim = new LinkedHashMap<>();
      sim.put("options", new TreeMap<>(o));
      sim.put("rules_added", added);
      sim.put("reviewers", reviewers.stream().map(r -> Map.of("name", r.name, "cases_closed", r.closed)).toList());
      sim.put("decisions_retried_after_overloaded", overloadedRetries.get());
      sim.put("take_next_calls", takes);
      sim.put("take_next_empty", emptyTakes);
      sim.put("verdicts_refused", refusedVerdicts);
      sim.put("wrong_verdicts", closedCases.stream().filter(Closed::wrong).count());
      sim.put("seconds", Math.round(seconds));
      report.put("simulation", sim);
      report.put("measures", measures);
      report.put("daily_review", daily);
      report.put("ground_truth", truth);
      if (tuning != null) {
        Map<String, Object> periods = new LinkedHashMap<>();
        for (long[] p : new long[][] {{fromMillis, tuneAtMillis}, {tuneAtMillis, toMillis}}) {
          Map<String, Object> period = new LinkedHashMap<>();
          period.put("from", Instant.ofEpochMilli(p[0]).toString());
          period.put("to", Instant.ofEpochMilli(p[1]).toString());
          period.put("measures", measures(p[0], p[1]));
          period.put("ground_truth", truth(p[0], p[1]));
          periods.put(p[0] == fromMillis ? "before_tuning" : "after_tuning", period);
        }
        tuning.put("periods", periods);
        report.put("tuning", tuning);
      }
      Path out = Path.of(o.getOrDefault("report", "review-simulation-report.json"));
      Files.writeString(out, Json.write(report));
      printTable(measures, daily, truth);
      if (tuning != null) {
        Map<String, Object> periods = (Map<String, Object>) tuning.get("periods");
        for (Map.Entry<String, Object> e : periods.entrySet()) {
          Map<String, Object> period = (Map<String, Object>) e.getValue();
          System.out.println("\n" + e.getKey() + " (" + period.get("from") + " to " + period.get("to") + ")");
          printTable((Map<String, Object>) period.get("measures"), daily, (Map<String, Object>) period.get("ground_truth"));
        }
      }
      System.out.println("report: " + out.toAbsolutePath());
    }

    private Map<String, Object> measures(long from, long to) {
      ApiClient.Reply m = admin.get("/v1/cases/measures?from=" + Instant.ofEpochMilli(from) + "&to=" + Instant.ofEpochMilli(to));
      if (m.status() != 200) throw new IllegalStateException("measures: " + m.status() + " " + m.body());
      return m.json();
    }

    /**
     * What the data's labels say about the same decisions, for the transactions in [from, to): false
     * interception as truth gives it.
     */
    private Map<String, Object> truth(long from, long to) {
      Map<String, Object> t = new LinkedHashMap<>();
      Map<String, Integer> actions = new TreeMap<>();
      for (int i = 0; i < action.length; i++) {
        if (within(i, from, to)) actions.merge(action[i], 1, Integer::sum);
      }
      t.put("actions", actions);
      int intercepted = 0;
      int interceptedLegit = 0;
      int interceptedFraud = 0;
      Map<String, int[]> perRule = new TreeMap<>();
      for (int i = 0; i < action.length; i++) {
        if (!within(i, from, to) || !INTERCEPTING.contains(action[i])) continue;
        boolean fraud = slice.get(i).fraud();
        intercepted++;
        if (fraud) interceptedFraud++;
        else interceptedLegit++;
        for (String rule : rulesOf[i]) {
          int[] c = perRule.computeIfAbsent(rule, k -> new int[2]);
          c[0]++;
          if (!fraud) c[1]++;
        }
      }
      long frauds = slice.stream().filter(tx -> tx.fraud() && tx.atMillis() >= from && tx.atMillis() < to).count();
      t.put("intercepted", intercepted);
      t.put("intercepted_fraud", interceptedFraud);
      t.put("intercepted_legitimate", interceptedLegit);
      t.put("false_interception_rate", share(interceptedLegit, intercepted));
      t.put("fraud_caught_share", share(interceptedFraud, (int) frauds));
      Map<String, Object> rules = new TreeMap<>();
      perRule.forEach((rule, c) -> rules.put(rule, Map.of("intercepted", c[0], "legitimate", c[1], "rate", share(c[1], c[0]))));
      t.put("false_interception_by_rule", rules);
      // The judged decisions only: what the verdicts said of each against its own label.
      int judged = 0;
      int judgedLegitByVerdict = 0;
      int judgedLegitByTruth = 0;
      int sampled = 0;
      int sampledFraud = 0;
      int groupedDisagree = 0;
      Map<String, int[]> perQueue = new TreeMap<>();
      for (Closed c : closedCases) {
        for (int k = 0; k < c.decisionIds().size(); k++) {
          Integer i = byDecision.get(c.decisionIds().get(k));
          if (i == null || !within(i, from, to)) continue;
          boolean fraud = slice.get(i).fraud();
          if (c.origins().get(k).equals("sample")) {
            sampled++;
            if (fraud) sampledFraud++;
          }
          if (!INTERCEPTING.contains(action[i])) continue;
          judged++;
          boolean legitByVerdict = c.verdict().equals("legitimate");
          if (legitByVerdict) judgedLegitByVerdict++;
          if (!fraud) judgedLegitByTruth++;
          if (!c.wrong() && legitByVerdict == fraud) groupedDisagree++;
          int[] q = perQueue.computeIfAbsent(c.queueId(), x -> new int[3]);
          q[0]++;
          if (legitByVerdict) q[1]++;
          if (!fraud) q[2]++;
        }
      }
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("intercepted_judged", judged);
      j.put("legitimate_by_verdict", judgedLegitByVerdict);
      j.put("legitimate_by_truth", judgedLegitByTruth);
      j.put("false_interception_rate_by_verdict", share(judgedLegitByVerdict, judged));
      j.put("false_interception_rate_by_truth", share(judgedLegitByTruth, judged));
      j.put("decisions_mislabelled_by_grouping", groupedDisagree);
      Map<String, Object> queues = new TreeMap<>();
      perQueue.forEach((q, c) -> queues.put(q, Map.of("judged", c[0], "legitimate_by_verdict", c[1], "legitimate_by_truth", c[2],
          "rate_by_verdict", share(c[1], c[0]), "rate_by_truth", share(c[2], c[0]))));
      j.put("by_queue", queues);
      t.put("judged", j);
      t.put("sampled_closed", sampled);
      t.put("sampled_closed_fraud", sampledFraud);
      t.put("cases_closed", closedCases.size());
      t.put("cases_closed_truly_fraud", closedCases.stream().filter(Closed::truthFraud).count());
      return t;
    }

    private boolean within(int i, long from, long to) {
      long at = slice.get(i).atMillis();
      return at >= from && at < to;
    }

    private static Double share(int part, int whole) {
      return whole == 0 ? null : (double) part / whole;
    }

    @SuppressWarnings("unchecked")
    private void printTable(Map<String, Object> m, Map<String, Object> daily, Map<String, Object> truth) {
      Map<String, Object> fi = (Map<String, Object>) m.get("false_interception");
      Map<String, Object> overall = (Map<String, Object>) fi.get("overall");
      Map<String, Object> review = (Map<String, Object>) m.get("manual_review");
      Map<String, Object> sla = (Map<String, Object>) m.get("sla");
      Map<String, Object> sampling = (Map<String, Object>) m.get("sampling");
      Map<String, Object> judged = (Map<String, Object>) truth.get("judged");
      StringBuilder s = new StringBuilder();
      s.append("\n| measure | value | target |\n|---|---|---|\n");
      row(s, "decisions", review.get("decisions"), "");
      row(s, "actions (by the decision answers)", truth.get("actions"), "");
      row(s, "intercepted (DENY, CHALLENGE, REVIEW, HOLD)", overall.get("intercepted"), "");
      row(s, "decisions in cases (manual review)", review.get("reviewed"), "");
      row(s, "manual review share", pct(review.get("share")), "≤ 5 %: " + met(review.get("met")));
      row(s, "intercepted decisions judged by a verdict", overall.get("judged"), "");
      row(s, "false-interception rate (verdicts)", pct(overall.get("rate")), "≤ 5 %: " + met(overall.get("met")));
      row(s, "false-interception rate, same decisions, by truth", pct(judged.get("false_interception_rate_by_truth")), "");
      row(s, "false-interception rate, all intercepted, by truth", pct(truth.get("false_interception_rate")), "");
      row(s, "fraud intercepted (share of all fraud)", pct(truth.get("fraud_caught_share")), "");
      for (Map<String, Object> r : (List<Map<String, Object>>) fi.get("by_rule")) {
        row(s, "false interception, rule " + r.get("rule_id"), pct(r.get("rate")) + " of " + r.get("judged") + " judged", "≤ 5 %: " + met(r.get("met")));
      }
      for (Map<String, Object> q : (List<Map<String, Object>>) fi.get("by_queue")) {
        row(s, "false interception, queue " + q.get("queue_id"), pct(q.get("rate")) + " of " + q.get("judged") + " judged", "≤ 5 %: " + met(q.get("met")));
      }
      row(s, "cases closed / in time", sla.get("closed") + " / " + sla.get("closed_in_time"), "");
      row(s, "SLA attainment", pct(sla.get("attainment")), "");
      row(s, "cases breached / open past due now", sla.get("cases_breached") + " / " + sla.get("cases_open_past_due_now"), "");
      for (Map<String, Object> r : (List<Map<String, Object>>) m.get("reviewers")) {
        row(s, "reviewer " + r.get("reviewer_id"), r.get("cases_closed") + " closed, handling median "
            + minutes(r.get("handling_millis_median")) + ", p90 " + minutes(r.get("handling_millis_p90")), "");
      }
      row(s, "verdicts", m.get("verdicts"), "");
      row(s, "sampled / judged / fraud", sampling.get("sampled") + " / " + sampling.get("judged") + " / " + sampling.get("fraud"), "");
      Map<String, Object> dayRate = (Map<String, Object>) daily.get("interceptions");
      row(s, "daily review " + daily.get("date") + ": intercepted / judged / legitimate",
          dayRate.get("intercepted") + " / " + dayRate.get("judged") + " / " + dayRate.get("legitimate") + " (" + pct(dayRate.get("rate")) + ")", "");
      System.out.println(s);
    }

    private static void row(StringBuilder s, String name, Object value, String target) {
      s.append("| ").append(name).append(" | ").append(value).append(" | ").append(target).append(" |\n");
    }

    private static String pct(Object share) {
      return share instanceof Number n ? String.format("%.2f %%", n.doubleValue() * 100) : "n/a";
    }

    private static String met(Object met) {
      return met == null ? "n/a" : Boolean.TRUE.equals(met) ? "met" : "**missed**";
    }

    private static String minutes(Object millis) {
      return millis instanceof Number n ? String.format("%.1f min", n.doubleValue() / MINUTE) : "n/a";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help")) {
        System.out.print(USAGE);
        System.exit(0);
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value, got " + args[i] + "\n" + USAGE);
      o.put(args[i].substring(2), args[++i]);
    }
    Set<String> known = Set.of("input", "from", "days", "data-dir", "rules", "review-amount-min", "reviewers", "shift-starts",
        "shift-hours", "handling-minutes", "cases-per-hour-max", "idle-poll-minutes", "error-rate", "drain-hours", "seed",
        "daily-review-date", "report", "threads", "tune-after-days", "tune-rate-max", "tune-judged-min");
    for (String k : o.keySet()) {
      if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
    }
    return o;
  }
}
