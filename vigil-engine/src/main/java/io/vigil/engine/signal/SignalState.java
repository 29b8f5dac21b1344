package io.vigil.engine.signal;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.vigil.engine.event.Event;
import io.vigil.engine.signal.geo.GeoLocation;
import io.vigil.engine.signal.links.IdentityLinkGraph;
import io.vigil.engine.signal.links.LinkKind;
import io.vigil.engine.signal.links.LinkSnapshot;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the signals remember between events: per account its declared country, its bound phone and
 * its {@link GeoHistory}, and the {@link IdentityLinkGraph} across accounts.
 *
 * <p>Single-threaded, like the engine's {@code decide}: only the sequencer calls {@link #observe}.
 * Per account about 250 bytes by the field layout (country, 4 phones) plus the geo history (under
 * 1 KiB); the link graph documents its own caps. Accounts are never forgotten while the process runs; recovery rebuilds this state by
 * replaying the journal.
 */
public final class SignalState {
  private final SignalConfig config;
  private final Map<String, AccountSignals> accounts = new HashMap<>();
  private final IdentityLinkGraph links;
  private HashFunction hasher;
  /** The key of {@link #hasher}: part of a checkpoint, so that a restored state hashes phones identically. */
  private long hashKey0;
  private long hashKey1;

  /** Per-account memory. */
  private static final class AccountSignals {
    String country;
    /** The phones this account has used, at most {@link #PHONES_MAX}: keyed hash, first and last seen. */
    long[] phoneHashes;
    long[] phoneFirstMillis;
    long[] phoneLastMillis;
    int phones;
    GeoHistory geo;
    /** When this account's latest failed challenges happened: a ring of {@link #CHALLENGE_FAILURES_MAX}. */
    long[] challengeFailureMillis;
    int challengeFailures;
  }

  /** Failed challenges remembered per account; the features count at most this many. */
  static final int CHALLENGE_FAILURES_MAX = 16;
  private static final long HOUR_MILLIS = 3_600_000L;

  /** Phones remembered per account; a dual-SIM user switching back is not a new binding. */
  static final int PHONES_MAX = 4;

  public SignalState(SignalConfig config) {
    this.config = config;
    SecureRandom random = new SecureRandom();
    this.hashKey0 = random.nextLong();
    this.hashKey1 = random.nextLong();
    this.hasher = Hashing.sipHash24(hashKey0, hashKey1);
    this.links = new IdentityLinkGraph(config.linkLimits(), random.nextLong(), random.nextLong());
  }

  public SignalConfig config() {
    return config;
  }

  /** The link graph; like this state, for the sequencer thread only. */
  public IdentityLinkGraph links() {
    return links;
  }

  /**
   * Records one committed event and returns its signals. Stateful values (usual location, travel,
   * phone binding, links) describe the event against what came before it; link counts include it.
   */
  public Signals observe(Event event, ReferenceData reference, Predicate<String> accountBlocked) {
    return observe(event, reference, accountBlocked, id -> false, true);
  }

  /** @param accountFraud whether an account carries a confirmed-fraud label */
  public Signals observe(Event event, ReferenceData reference, Predicate<String> accountBlocked,
      Predicate<String> accountFraud) {
    return observe(event, reference, accountBlocked, accountFraud, true);
  }

  /**
   * Records a failed challenge of the account (reported to the challenge-result route, or read
   * back from storage at start-up). It counts in {@code account.challenge_failures_1h/_24h}.
   */
  public void recordChallengeFailure(String accountId, long atMillis) {
    AccountSignals account = accounts.computeIfAbsent(accountId, k -> new AccountSignals());
    if (account.challengeFailureMillis == null) account.challengeFailureMillis = new long[CHALLENGE_FAILURES_MAX];
    account.challengeFailureMillis[account.challengeFailures++ % CHALLENGE_FAILURES_MAX] = atMillis;
  }

  /** Failed challenges of the account within (t − windowMillis, t]. */
  private static int challengeFailures(AccountSignals account, long tMillis, long windowMillis) {
    if (account.challengeFailureMillis == null) return 0;
    int n = 0;
    int held = Math.min(account.challengeFailures, CHALLENGE_FAILURES_MAX);
    for (int i = 0; i < held; i++) {
      long at = account.challengeFailureMillis[i];
      if (at > tMillis - windowMillis && at <= tMillis) n++;
    }
    return n;
  }

  /** Records one committed event during recovery: the same state as {@link #observe}, no features. */
  public void replay(Event event, ReferenceData reference) {
    observe(event, reference, null, null, false);
  }

  private Signals observe(Event event, ReferenceData reference, Predicate<String> accountBlocked,
      Predicate<String> accountFraud, boolean deciding) {
    GeoLocation location = locate(event, reference);
    String accountId = event.accountId();
    if (accountId == null) {
      return new Signals(event, reference, config, location, GeoHistory.Observation.NONE, null, false, -1, null, 0, 0);
    }
    AccountSignals account = accounts.computeIfAbsent(accountId, k -> new AccountSignals());
    if (event.accountCountry() != null) account.country = event.accountCountry();
    GeoHistory.Observation geo = GeoHistory.Observation.NONE;
    if (location.known()) {
      if (account.geo == null) account.geo = new GeoHistory();
      geo = account.geo.observe(event.occurredAtMillis(), location);
    }
    boolean phoneNew = false;
    long phoneBoundMillis = -1;
    if (event.phone() != null) {
      long phoneHash = hasher.hashString(event.phone(), StandardCharsets.UTF_8).asLong();
      int i = bindPhone(account, phoneHash, event.occurredAtMillis());
      phoneNew = i < 0;
      phoneBoundMillis = account.phoneFirstMillis[Math.abs(i) - 1];
    }
    if (!deciding) {
      links.record(accountId, event.occurredAtMillis(), identifiers(event));
      return null;
    }
    LinkSnapshot snapshot = links.observe(accountId, event.occurredAtMillis(), identifiers(event), accountBlocked,
        accountFraud);
    long t = event.occurredAtMillis();
    return new Signals(event, reference, config, location, geo, account.country, phoneNew, phoneBoundMillis, snapshot,
        challengeFailures(account, t, HOUR_MILLIS), challengeFailures(account, t, 24 * HOUR_MILLIS));
  }

  /**
   * Records that the account used this phone at tMillis. Returns the phone's slot + 1, negated when
   * the account had used other phones but not this one before (a new binding). When all slots are
   * taken, the phone seen least recently is forgotten.
   */
  private static int bindPhone(AccountSignals account, long phoneHash, long tMillis) {
    for (int i = 0; i < account.phones; i++) {
      if (account.phoneHashes[i] != phoneHash) continue;
      account.phoneFirstMillis[i] = Math.min(account.phoneFirstMillis[i], tMillis);
      account.phoneLastMillis[i] = Math.max(account.phoneLastMillis[i], tMillis);
      return i + 1;
    }
    boolean hadOthers = account.phones > 0;
    if (account.phoneHashes == null) {
      account.phoneHashes = new long[PHONES_MAX];
      account.phoneFirstMillis = new long[PHONES_MAX];
      account.phoneLastMillis = new long[PHONES_MAX];
    }
    int slot = account.phones < PHONES_MAX ? account.phones++ : leastRecentPhone(account);
    account.phoneHashes[slot] = phoneHash;
    account.phoneFirstMillis[slot] = tMillis;
    account.phoneLastMillis[slot] = tMillis;
    assert account.phones <= PHONES_MAX;
    return hadOthers ? -(slot + 1) : slot + 1;
  }

  private static int leastRecentPhone(AccountSignals account) {
    int least = 0;
    for (int i = 1; i < account.phones; i++) if (account.phoneLastMillis[i] < account.phoneLastMillis[least]) least = i;
    return least;
  }

  /**
   * The signals an event answers from reference data alone (its IP's geography, phone, card BIN,
   * e-mail, identity, client, amount in the base currency), without any account's history: what a
   * backtest can recompute for a stored event. Signals of the account's history read as for an
   * account seen for the first time (geo history none, phone not new, no links, no failures).
   */
  public static Signals referenceOnly(Event event, ReferenceData reference, SignalConfig config) {
    return new Signals(event, reference, config, locate(event, reference), GeoHistory.Observation.NONE, event.accountCountry(),
        false, -1, null, 0, 0);
  }

  private static GeoLocation locate(Event event, ReferenceData reference) {
    if (event.ip() == null || reference.geo() == null) return GeoLocation.UNKNOWN;
    return reference.geo().locate(event.ip());
  }

  // ---- checkpoint ------------------------------------------------------------------------------

  /** Format version of the "signals" part. */
  static final int FORMAT_VERSION = 1;

  /**
   * Writes the per-account memory (country, phones, geo history) and the link graph. The failed
   * challenges are not written: they are not derived from the journal but read back from their
   * table at every start, checkpoint or not.
   */
  public void writeTo(StateWriter out) throws IOException {
    out.header("signals", FORMAT_VERSION);
    out.writeLong(hashKey0);
    out.writeLong(hashKey1);
    int written = 0;
    for (AccountSignals a : accounts.values()) if (a.country != null || a.phones > 0 || a.geo != null) written++;
    out.writeInt(written);
    for (Map.Entry<String, AccountSignals> e : accounts.entrySet()) {
      AccountSignals a = e.getValue();
      if (a.country == null && a.phones == 0 && a.geo == null) continue;
      out.writeString(e.getKey());
      out.writeString(a.country);
      out.writeInt(a.phones);
      out.writeLongs(a.phoneHashes, a.phones);
      out.writeLongs(a.phoneFirstMillis, a.phones);
      out.writeLongs(a.phoneLastMillis, a.phones);
      out.writeBoolean(a.geo != null);
      if (a.geo != null) a.geo.writeTo(out);
    }
    links.writeTo(out);
    out.end();
  }

  /**
   * Reads what {@link #writeTo} wrote into this state, which must hold no event yet; failed
   * challenges already recorded (read back from their table) are kept.
   */
  public void readFrom(StateReader in) throws IOException {
    in.expectHeader("signals", FORMAT_VERSION);
    hashKey0 = in.readLong();
    hashKey1 = in.readLong();
    hasher = Hashing.sipHash24(hashKey0, hashKey1);
    int n = in.readCount("accounts", Integer.MAX_VALUE - 8);
    for (int i = 0; i < n; i++) {
      AccountSignals a = accounts.computeIfAbsent(in.readString(), k -> new AccountSignals());
      a.country = in.readString();
      a.phones = in.readCount("phones of an account", PHONES_MAX);
      a.phoneHashes = new long[PHONES_MAX];
      a.phoneFirstMillis = new long[PHONES_MAX];
      a.phoneLastMillis = new long[PHONES_MAX];
      in.readLongs(a.phoneHashes, a.phones);
      in.readLongs(a.phoneFirstMillis, a.phones);
      in.readLongs(a.phoneLastMillis, a.phones);
      if (a.phones == 0) a.phoneHashes = a.phoneFirstMillis = a.phoneLastMillis = null;
      if (in.readBoolean()) a.geo = GeoHistory.readFrom(in);
    }
    links.readFrom(in);
    in.expectEnd();
  }

  private static Map<LinkKind, String> identifiers(Event event) {
    Map<LinkKind, String> ids = new EnumMap<>(LinkKind.class);
    if (event.deviceId() != null) ids.put(LinkKind.DEVICE, event.deviceId());
    if (event.phone() != null) ids.put(LinkKind.PHONE, event.phone());
    if (event.cardToken() != null) ids.put(LinkKind.CARD, event.cardToken());
    if (event.email() != null) ids.put(LinkKind.EMAIL, event.email().toLowerCase(java.util.Locale.ROOT));
    if (event.ip() != null) ids.put(LinkKind.IP, event.ip());
    Event.Identity identity = event.identity();
    if (identity.nationalId() != null) ids.put(LinkKind.NATIONAL_ID, identity.nationalIdType() + ":" + identity.nationalId());
    return ids;
  }
}
