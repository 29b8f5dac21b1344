package io.vigil.bench;

import io.vigil.engine.event.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Synthetic risk events for load tests and benchmarks: realistic enough to exercise every default
 * rule, deterministic for a seed (apart from the run id in event ids and the wall-clock
 * {@code occurred_at}), and cheap: profiles are pre-generated in {@link AccountPool}, so one event
 * costs a few microseconds.
 *
 * <h2>Mix</h2>
 * Normal traffic follows {@link #TYPE_WEIGHTS}: payment 45, login 20 (5 % failed), transfer 10,
 * withdrawal 8, registration 7, refund 5, merchant_onboarding 1 (relative weights, sum 96).
 * Accounts are drawn 80 % uniformly and 20 % from the most active tenth. An account uses one of
 * its own devices 97 % of the time and its home IP 85 % of the time.
 *
 * <h2>Attack bursts</h2>
 * About {@link #BURST_SHARE} of all events belong to injected bursts, interleaved with normal
 * traffic (one burst at a time, a quarter of the events while it runs):
 * <ul>
 *   <li>{@link Burst#CARD_TESTING}: one account, device and IP paying one merchant with 10-30
 *       different fresh card tokens, small amounts;</li>
 *   <li>{@link Burst#CREDENTIAL_STUFFING}: one IP and bot device trying 15-40 random accounts,
 *       90 % failed logins;</li>
 *   <li>{@link Burst#STRUCTURING}: one account making 3-5 payments of 450.00-499.99 USD.</li>
 * </ul>
 *
 * <p>Identifiers never contain a run of 13 or more digits (the server refuses anything that looks
 * like a card number). Sequential ids are hexadecimal, not base 36: same-length base-36 strings
 * collide in {@link String#hashCode} in groups of four ("1knn", "1kp0", "1m0n", "1m20"), which
 * would skew hash-map benchmarks. Event ids are {@code bench-<runId>-<hex counter>}. Not thread-safe.
 */
public final class EventGenerator {
  /** The injected attack patterns. */
  public enum Burst { CARD_TESTING, CREDENTIAL_STUFFING, STRUCTURING }

  /** Target share of events that belong to attack bursts. */
  public static final double BURST_SHARE = 0.02;
  /** Share of logins (outside bursts) that fail. */
  public static final double FAILED_LOGIN_SHARE = 0.05;

  static final EventType[] TYPES = {
      EventType.PAYMENT, EventType.LOGIN, EventType.TRANSFER, EventType.WITHDRAWAL,
      EventType.REGISTRATION, EventType.REFUND, EventType.MERCHANT_ONBOARDING};
  static final int[] TYPE_WEIGHTS = {45, 20, 10, 8, 7, 5, 1};
  private static final int TYPE_WEIGHT_TOTAL = 96;

  private static final double BURST_INTERLEAVE = 0.25;
  private static final double BURST_START_CHANCE = 0.004;
  private static final String[] PAYMENT_CHANNELS = {"app", "app", "app", "app", "app", "web", "web", "web", "pos", "api"};

  private final AccountPool pool;
  private final SplittableRandom random;
  private final String runId;
  private final LongSupplier wallClockMillis;
  private long sequence;
  private long timestampMillis = Long.MIN_VALUE;
  private String timestamp;

  private Burst burst;
  private int burstRemaining;
  private int burstAccount;
  private String burstIp;
  private String burstDevice;
  private String burstMerchant;

  private final long[] typeCounts = new long[EventType.values().length];
  private final long[] burstCounts = new long[Burst.values().length];
  private long burstEvents;

  /** A generator with a fresh random run id and the system clock. */
  public EventGenerator(long seed, int accountCount) {
    this(seed, accountCount, Ids.newRunId(), System::currentTimeMillis);
  }

  /**
   * @param runId letters, digits or underscores, at most 64 characters, ending in a letter (a
   *     hyphen between digits would join them into one run); makes event ids unique across runs
   * @param wallClockMillis the clock {@code occurred_at} is read from
   */
  public EventGenerator(long seed, int accountCount, String runId, LongSupplier wallClockMillis) {
    if (!runId.matches("[A-Za-z0-9_]{0,63}[A-Za-z_]") || Ids.longestDigitRun(runId) > Ids.DIGIT_RUN_MAX) {
      throw new IllegalArgumentException(
          "run id must be 1-64 letters, digits or underscores, end in a letter and have at most 8 digits in a row");
    }
    this.pool = new AccountPool(seed, accountCount, AccountPool.MERCHANTS_DEFAULT);
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.runId = runId;
    this.wallClockMillis = wallClockMillis;
  }

  public String runId() {
    return runId;
  }

  /** The next event as a JSON-shaped map (numbers are Long, sub-objects are maps). */
  public Map<String, Object> next() {
    Map<String, Object> event;
    if (burst != null && random.nextDouble() < BURST_INTERLEAVE) {
      event = nextBurstEvent();
    } else {
      if (burst == null && burstEvents < BURST_SHARE * sequence && random.nextDouble() < BURST_START_CHANCE) startBurst();
      event = nextNormalEvent();
    }
    typeCounts[EventType.fromWire((String) event.get("type")).ordinal()]++;
    return event;
  }

  /** The next event as UTF-8 JSON. */
  public byte[] nextJson() {
    return Json.write(next()).getBytes(StandardCharsets.UTF_8);
  }

  public long generated() {
    return sequence;
  }

  public long count(EventType type) {
    return typeCounts[type.ordinal()];
  }

  public long burstEvents() {
    return burstEvents;
  }

  public long burstEvents(Burst kind) {
    return burstCounts[kind.ordinal()];
  }

  // ---- normal traffic ---------------------------------------------------------------------------

  private Map<String, Object> nextNormalEvent() {
    int pick = random.nextInt(TYPE_WEIGHT_TOTAL);
    int t = 0;
    while (pick >= TYPE_WEIGHTS[t]) pick -= TYPE_WEIGHTS[t++];
    return switch (TYPES[t]) {
      case PAYMENT -> payment(pickAccount());
      case LOGIN -> login(pickAccount(), randomBoolean(1 - FAILED_LOGIN_SHARE));
      case TRANSFER -> transfer(pickAccount());
      case WITHDRAWAL -> withdrawal(pickAccount());
      case REGISTRATION -> registration();
      case REFUND -> refund(pickAccount());
      case MERCHANT_ONBOARDING -> merchantOnboarding();
    };
  }

  private int pickAccount() {
    int n = pool.accountCount;
    if (random.nextDouble() < 0.2) return random.nextInt(Math.max(1, n / 10));
    return random.nextInt(n);
  }

  private Map<String, Object> payment(int a) {
    Map<String, Object> m = accountEvent(EventType.PAYMENT, a, PAYMENT_CHANNELS[random.nextInt(PAYMENT_CHANNELS.length)]);
    m.put("merchant_id", pickMerchant());
    String currency = pool.currencies[a];
    m.put("amount", amountMinor(currency, 1.0));
    m.put("currency", currency);
    m.put("card", ownCard(a));
    return m;
  }

  private Map<String, Object> login(int a, boolean success) {
    Map<String, Object> m = accountEvent(EventType.LOGIN, a, random.nextDouble() < 0.6 ? "app" : "web");
    boolean biometric = random.nextDouble() < 0.3;
    m.put("auth", auth(biometric ? "biometric" : "password", biometric ? 2 : 1));
    m.put("login", Map.of("success", success));
    return m;
  }

  private Map<String, Object> transfer(int a) {
    Map<String, Object> m = accountEvent(EventType.TRANSFER, a, random.nextDouble() < 0.7 ? "app" : "web");
    m.put("counterparty_id", random.nextDouble() < 0.8
        ? pool.accountIds[random.nextInt(pool.accountCount)] : Ids.hex(random, "ext_", 12));
    String currency = pool.currencies[a];
    m.put("amount", amountMinor(currency, 3.0));
    m.put("currency", currency);
    return m;
  }

  private Map<String, Object> withdrawal(int a) {
    Map<String, Object> m = accountEvent(EventType.WITHDRAWAL, a, random.nextDouble() < 0.6 ? "app" : "pos");
    String currency = pool.currencies[a];
    m.put("amount", amountMinor(currency, 4.0));
    m.put("currency", currency);
    return m;
  }

  private Map<String, Object> refund(int a) {
    Map<String, Object> m = accountEvent(EventType.REFUND, a, random.nextDouble() < 0.5 ? "web" : "api");
    m.put("merchant_id", pickMerchant());
    String currency = pool.currencies[a];
    m.put("amount", amountMinor(currency, 0.8));
    m.put("currency", currency);
    m.put("card", ownCard(a));
    return m;
  }

  private Map<String, Object> registration() {
    Map<String, Object> m = base(EventType.REGISTRATION);
    int zone = AccountPool.pickZone(random);
    String country = AccountPool.zoneCountry(zone);
    String suffix = Long.toHexString(sequence);
    m.put("account_id", "acct_new_" + runId + "_" + suffix);
    m.put("channel", random.nextDouble() < 0.8 ? "app" : "web");
    m.put("ip", AccountPool.randomIpv4(random));
    m.put("device", device(Ids.hex(random, "dev_", 16), Ids.hex(random, "fp_", 24),
        AccountPool.USER_AGENTS[random.nextInt(AccountPool.USER_AGENTS.length)]));
    m.put("phone", AccountPool.randomPhone(country, random));
    m.put("email", "new_" + runId + "_" + suffix + "@" + AccountPool.randomEmailDomain(random));
    m.put("auth", auth("password", 1));
    m.put("timezone", AccountPool.zoneName(zone));
    m.put("attributes", Map.of("country", country));
    return m;
  }

  private Map<String, Object> merchantOnboarding() {
    Map<String, Object> m = base(EventType.MERCHANT_ONBOARDING);
    int zone = AccountPool.pickZone(random);
    String country = AccountPool.zoneCountry(zone);
    String suffix = Long.toHexString(sequence);
    m.put("merchant_id", "mer_new_" + runId + "_" + suffix);
    m.put("channel", "web");
    m.put("ip", AccountPool.randomIpv4(random));
    m.put("phone", AccountPool.randomPhone(country, random));
    m.put("email", "ops_" + suffix + "@" + AccountPool.randomEmailDomain(random));
    m.put("timezone", AccountPool.zoneName(zone));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("country", country);
    attributes.put("mcc", String.valueOf(5000 + random.nextInt(1000)));
    attributes.put("expected_monthly_volume_usd", (long) (1_000 + random.nextInt(200_000)));
    m.put("attributes", attributes);
    return m;
  }

  // ---- bursts -------------------------------------------------------------------------------------

  private void startBurst() {
    burst = Burst.values()[random.nextInt(Burst.values().length)];
    burstAccount = random.nextInt(pool.accountCount);
    burstIp = AccountPool.randomIpv4(random);
    burstDevice = Ids.hex(random, "dev_", 16);
    burstMerchant = pickMerchant();
    burstRemaining = switch (burst) {
      case CARD_TESTING -> 10 + random.nextInt(21);
      case CREDENTIAL_STUFFING -> 15 + random.nextInt(26);
      case STRUCTURING -> 3 + random.nextInt(3);
    };
  }

  private Map<String, Object> nextBurstEvent() {
    Burst kind = burst;
    Map<String, Object> m = switch (kind) {
      case CARD_TESTING -> cardTestingEvent();
      case CREDENTIAL_STUFFING -> credentialStuffingEvent();
      case STRUCTURING -> structuringEvent();
    };
    burstCounts[kind.ordinal()]++;
    burstEvents++;
    if (--burstRemaining == 0) burst = null;
    return m;
  }

  private Map<String, Object> cardTestingEvent() {
    int a = burstAccount;
    Map<String, Object> m = base(EventType.PAYMENT);
    m.put("account_id", pool.accountIds[a]);
    m.put("merchant_id", burstMerchant);
    m.put("amount", (long) (50 + random.nextInt(450)));
    m.put("currency", "USD");
    m.put("channel", "web");
    m.put("ip", burstIp);
    int slot = 2 * a;
    m.put("device", device(pool.deviceIds[slot], pool.deviceFingerprints[slot], AccountPool.USER_AGENTS[pool.deviceUserAgents[slot]]));
    m.put("card", card(Ids.hex(random, "tok_", 20), AccountPool.randomBin(random), Ids.digits(random, 4)));
    m.put("timezone", pool.timezone(a));
    return m;
  }

  private Map<String, Object> credentialStuffingEvent() {
    int a = random.nextInt(pool.accountCount);
    Map<String, Object> m = base(EventType.LOGIN);
    m.put("account_id", pool.accountIds[a]);
    m.put("channel", "web");
    m.put("ip", burstIp);
    m.put("device", device(burstDevice, null, AccountPool.USER_AGENTS[2]));
    m.put("auth", auth("password", 1));
    m.put("login", Map.of("success", random.nextDouble() < 0.1));
    return m;
  }

  private Map<String, Object> structuringEvent() {
    int a = burstAccount;
    Map<String, Object> m = accountEvent(EventType.PAYMENT, a, "app");
    m.put("merchant_id", burstMerchant);
    m.put("amount", (long) (45_000 + random.nextInt(5_000)));
    m.put("currency", "USD");
    m.put("card", ownCard(a));
    return m;
  }

  // ---- parts --------------------------------------------------------------------------------------

  private Map<String, Object> base(EventType type) {
    Map<String, Object> m = new LinkedHashMap<>(32);
    m.put("event_id", "bench-" + runId + "-" + Long.toHexString(sequence++));
    m.put("type", type.wireName());
    m.put("occurred_at", occurredAt());
    return m;
  }

  /** The fields every account event carries: account, channel, IP, device, time zone, country. */
  private Map<String, Object> accountEvent(EventType type, int a, String channel) {
    Map<String, Object> m = base(type);
    m.put("account_id", pool.accountIds[a]);
    m.put("channel", channel);
    m.put("ip", random.nextDouble() < 0.85 ? pool.homeIps[a] : AccountPool.randomIpv4(random));
    if (random.nextDouble() < 0.97) {
      int slot = 2 * a + (pool.deviceCounts[a] == 2 ? random.nextInt(2) : 0);
      m.put("device", device(pool.deviceIds[slot], pool.deviceFingerprints[slot], AccountPool.USER_AGENTS[pool.deviceUserAgents[slot]]));
    } else {
      m.put("device", device(Ids.hex(random, "dev_", 16), Ids.hex(random, "fp_", 24),
          AccountPool.USER_AGENTS[random.nextInt(AccountPool.USER_AGENTS.length)]));
    }
    m.put("timezone", pool.timezone(a));
    m.put("attributes", Map.of("country", pool.country(a)));
    return m;
  }

  private Map<String, Object> ownCard(int a) {
    int slot = 2 * a + (pool.cardCounts[a] == 2 ? random.nextInt(2) : 0);
    return card(pool.cardTokens[slot], pool.cardBins[slot], pool.cardLast4s[slot]);
  }

  private static Map<String, Object> card(String token, String bin, String last4) {
    Map<String, Object> card = new LinkedHashMap<>(4);
    card.put("token", token);
    card.put("bin", bin);
    card.put("last4", last4);
    return card;
  }

  private static Map<String, Object> device(String id, String fingerprint, String userAgent) {
    Map<String, Object> device = new LinkedHashMap<>(4);
    device.put("id", id);
    if (fingerprint != null) device.put("fingerprint", fingerprint);
    device.put("user_agent", userAgent);
    return device;
  }

  private static Map<String, Object> auth(String method, long assuranceLevel) {
    Map<String, Object> auth = new LinkedHashMap<>(2);
    auth.put("method", method);
    auth.put("assurance_level", assuranceLevel);
    return auth;
  }

  /** Merchants are skewed: half of the traffic goes to the first 5 % of them. */
  private String pickMerchant() {
    int n = pool.merchantIds.length;
    return pool.merchantIds[random.nextBoolean() ? random.nextInt(Math.max(1, n / 20)) : random.nextInt(n)];
  }

  /**
   * A log-normal amount in minor units: median 25 USD, 22 EUR or 1,500 BDT times
   * {@code medianFactor}, σ = 1.
   */
  private long amountMinor(String currency, double medianFactor) {
    double medianMinor = switch (currency) {
      case "BDT" -> 150_000;
      case "EUR" -> 2_200;
      default -> 2_500;
    };
    double amount = medianMinor * medianFactor * Math.exp(random.nextGaussian());
    return Math.max(50, Math.min(1_000_000_000L, Math.round(amount)));
  }

  private boolean randomBoolean(double trueChance) {
    return random.nextDouble() < trueChance;
  }

  private String occurredAt() {
    long now = wallClockMillis.getAsLong();
    if (now != timestampMillis) {
      timestampMillis = now;
      timestamp = Instant.ofEpochMilli(now).toString();
    }
    return timestamp;
  }
}
