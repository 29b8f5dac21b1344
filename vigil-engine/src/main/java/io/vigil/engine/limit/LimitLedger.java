package io.vigil.engine.limit;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventType;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The spend that limits count (L3): every money-out event that was not denied reserves its amount
 * on its account; a refund, reversal or failed authorization reported later releases it.
 *
 * <p><b>Exact and atomic.</b> The ledger belongs to the decision sequencer: a check and the
 * reservation that follows it happen in one step of one thread, so two concurrent payments can never
 * both squeeze under a limit. It is durable with the decision: a reservation is a function of the
 * journal row (event and action, in the same group commit), and releases are stored before they are
 * applied; start-up rebuilds the ledger from both.
 *
 * <p><b>Bounds.</b> Reservations are kept {@value #RETENTION_DAYS} days (a calendar month plus the
 * accepted lateness) and at most {@value #RESERVATIONS_PER_ACCOUNT_MAX} per account; beyond that the
 * oldest are dropped and counted in {@link #dropped()}, so an account moving money more than that
 * many times a month undercounts its monthly limits.
 *
 * <p><b>Hot accounts.</b> An account's reservations are kept in time order, so a period is a tail
 * found by binary search. A busy account (from {@value #CACHE_FROM_RESERVATIONS} reservations)
 * also keeps the sum of each calendar period it was asked about, updated exactly by every later
 * reservation, release and drop, so a merchant-like account paying thousands of times a day costs
 * a lookup, not a scan. Rolling windows move with each event and are always summed from the tail.
 */
public final class LimitLedger {
  public static final int RESERVATIONS_PER_ACCOUNT_MAX = 10_000;
  public static final int RETENTION_DAYS = 33;
  static final long RETENTION_MILLIS = RETENTION_DAYS * LimitPeriod.DAY_MILLIS;
  /** Releases that arrived before their reservation (only while the journal is replayed). */
  static final int PENDING_RELEASES_MAX = 1_000_000;

  /** From this many reservations an account caches its calendar-period sums. */
  static final int CACHE_FROM_RESERVATIONS = 64;
  /** Period sums cached per account (limits × zones × periods still asked about). */
  static final int CACHED_SUMS_MAX = 32;

  private final Map<String, Account> byAccount = new HashMap<>();
  private final Map<String, Long> pendingReleases = new HashMap<>();
  private long reservations;
  private long dropped;

  /** One reserved amount. {@code releasedMinor} grows from 0 up to {@code amountMinor}. */
  static final class Reservation {
    final String eventId;
    final EventType type;
    final String channel;
    final String merchantRiskLevel;
    final String currency;
    final long occurredAtMillis;
    final long amountMinor;
    long releasedMinor;

    Reservation(Event e) {
      this(e.eventId(), e.type(), e.channel(), e.merchantRiskLevel(), e.currency(), e.occurredAtMillis(), e.amountMinor());
    }

    Reservation(String eventId, EventType type, String channel, String merchantRiskLevel, String currency,
        long occurredAtMillis, long amountMinor) {
      this.eventId = eventId;
      this.type = type;
      this.channel = channel;
      this.merchantRiskLevel = merchantRiskLevel;
      this.currency = currency;
      this.occurredAtMillis = occurredAtMillis;
      this.amountMinor = amountMinor;
    }

    long heldMinor() {
      return amountMinor - releasedMinor;
    }
  }

  /** One account's reservations, oldest first, and the period sums it caches. */
  static final class Account {
    final ArrayList<Reservation> byTime = new ArrayList<>();
    ArrayList<PeriodSum> sums;

    /** Index of the first reservation at or after startMillis. */
    int firstAtOrAfter(long startMillis) {
      int lo = 0, hi = byTime.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (byTime.get(mid).occurredAtMillis < startMillis) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }

    /** Adds {@code heldDeltaMinor} of r to every cached sum that counts r. */
    void adjust(Reservation r, long heldDeltaMinor) {
      if (sums == null || heldDeltaMinor == 0) return;
      for (PeriodSum c : sums) {
        if (r.occurredAtMillis >= c.startMillis && counts(c.limit, r)) c.sumMinor += heldDeltaMinor;
      }
    }

    PeriodSum cached(LimitDefinition limit, long startMillis) {
      if (sums == null) return null;
      for (PeriodSum c : sums) {
        if (c.startMillis == startMillis && (c.limit == limit || c.limit.equals(limit))) return c;
      }
      return null;
    }

    void cache(LimitDefinition limit, long startMillis, long sumMinor) {
      if (sums == null) sums = new ArrayList<>(8);
      if (sums.size() >= CACHED_SUMS_MAX) sums.remove(0);
      sums.add(new PeriodSum(limit, startMillis, sumMinor));
    }
  }

  /** The held spend a limit counts from startMillis on, kept exact by {@link Account#adjust}. */
  static final class PeriodSum {
    final LimitDefinition limit;
    final long startMillis;
    long sumMinor;

    PeriodSum(LimitDefinition limit, long startMillis, long sumMinor) {
      this.limit = limit;
      this.startMillis = startMillis;
      this.sumMinor = sumMinor;
    }
  }

  static boolean counts(LimitDefinition limit, Reservation r) {
    return r.currency.equals(limit.currency()) && limit.countsSpend(r.type, r.channel, r.merchantRiskLevel);
  }

  /** Whether an event with this action holds its amount: a money-out event that was not denied. */
  public static boolean reserves(Event e, io.vigil.engine.policy.Action action) {
    return action != io.vigil.engine.policy.Action.DENY && e.hasAmount() && e.accountId() != null
        && LimitDefinition.SPEND_TYPES.contains(e.type());
  }

  /**
   * How each applicable limit stands for this event, before it counts: {@code remainingMinor} is
   * what the period has left without this event. Changes nothing.
   */
  public List<LimitUsage> check(Event e, List<LimitDefinition> limits, ZoneId zone) {
    List<LimitUsage> out = null;
    for (LimitDefinition limit : limits) {
      if (!limit.appliesTo(e)) continue;
      long cap = limit.capMinor(e);
      long used = 0;
      long oldest = Long.MAX_VALUE;
      Account account = limit.period() == LimitPeriod.SINGLE ? null : byAccount.get(e.accountId());
      if (account != null) {
        long start = limit.period().startMillis(e.occurredAtMillis(), zone);
        boolean calendar = limit.period() != LimitPeriod.ROLLING_24H;
        PeriodSum cached = calendar ? account.cached(limit, start) : null;
        if (cached != null) {
          used = cached.sumMinor;
        } else {
          List<Reservation> held = account.byTime;
          int from = account.firstAtOrAfter(start);
          for (int i = from; i < held.size(); i++) {
            Reservation r = held.get(i);
            if (r.heldMinor() == 0 || !counts(limit, r)) continue;
            used = Math.addExact(used, r.heldMinor());
            if (r.occurredAtMillis < oldest) oldest = r.occurredAtMillis;
          }
          if (calendar && held.size() - from >= CACHE_FROM_RESERVATIONS) account.cache(limit, start, used);
        }
      }
      boolean breached = Math.addExact(used, e.amountMinor()) > cap;
      long resets = limit.period().resetsAtMillis(e.occurredAtMillis(), zone,
          Math.min(oldest, e.occurredAtMillis()));
      if (out == null) out = new ArrayList<>(4);
      out.add(new LimitUsage(limit, cap, used, Math.max(0, cap - used), resets, breached));
    }
    return out == null ? List.of() : out;
  }

  /**
   * What the account has spent in each limit's current period as of {@code atMillis}, against the
   * limit's base cap (a cap mapped from a credit score, or chosen by assurance level, depends on the
   * event and is not known here): for an analyst's view of an account. A single-transaction limit
   * shows its cap with nothing used. Changes nothing (no period sum is cached).
   */
  public List<LimitUsage> usage(String accountId, List<LimitDefinition> limits, long atMillis, ZoneId zone) {
    Account account = accountId == null ? null : byAccount.get(accountId);
    List<LimitUsage> out = new ArrayList<>(limits.size());
    for (LimitDefinition limit : limits) { // at most LimitDefinition.PER_POLICY_MAX plus restrictions
      long cap = limit.amountMinor();
      long used = 0;
      long oldest = Long.MAX_VALUE;
      if (account != null && limit.period() != LimitPeriod.SINGLE) {
        List<Reservation> held = account.byTime;
        for (int i = account.firstAtOrAfter(limit.period().startMillis(atMillis, zone)); i < held.size(); i++) {
          Reservation r = held.get(i); // at most RESERVATIONS_PER_ACCOUNT_MAX
          if (r.heldMinor() == 0 || !counts(limit, r)) continue;
          used = Math.addExact(used, r.heldMinor());
          oldest = Math.min(oldest, r.occurredAtMillis);
        }
      }
      long resets = limit.period() == LimitPeriod.SINGLE ? 0
          : limit.period().resetsAtMillis(atMillis, zone, Math.min(oldest, atMillis));
      out.add(new LimitUsage(limit, cap, used, Math.max(0, cap - used), resets, used > cap));
    }
    return out;
  }

  /** Holds the event's amount on its account (call only when {@link #reserves} is true). */
  public void reserve(Event e) {
    Reservation r = new Reservation(e);
    Long released = pendingReleases.remove(e.eventId());
    if (released != null) r.releasedMinor = Math.min(r.amountMinor, released);
    Account account = byAccount.computeIfAbsent(e.accountId(), k -> new Account());
    List<Reservation> held = account.byTime;
    if (held.size() >= RESERVATIONS_PER_ACCOUNT_MAX) {
      Reservation oldest = held.remove(0);
      account.adjust(oldest, -oldest.heldMinor());
      reservations--;
      dropped++;
    }
    // Time order; late events (up to the accepted lateness) go before the newer ones.
    int at = held.size();
    while (at > 0 && held.get(at - 1).occurredAtMillis > r.occurredAtMillis) at--;
    held.add(at, r);
    account.adjust(r, r.heldMinor());
    reservations++;
  }

  /**
   * Releases {@code releasedMinor} of an event's reservation (the total released, not an increment,
   * so that applying the same stored release twice changes nothing). A release for a reservation not
   * yet replayed waits for it. Returns the amount still held, or -1 when the reservation is unknown.
   */
  public long release(String accountId, String eventId, long releasedMinor) {
    if (releasedMinor < 0) throw new IllegalArgumentException("a release is ≥ 0");
    Account account = accountId == null ? null : byAccount.get(accountId);
    if (account != null) {
      for (Reservation r : account.byTime) {
        if (r.eventId.equals(eventId)) {
          long before = r.heldMinor();
          r.releasedMinor = Math.max(r.releasedMinor, Math.min(r.amountMinor, releasedMinor));
          account.adjust(r, r.heldMinor() - before);
          return r.heldMinor();
        }
      }
    }
    if (pendingReleases.size() < PENDING_RELEASES_MAX) pendingReleases.merge(eventId, releasedMinor, Math::max);
    return -1;
  }

  /** The amount an event still holds, or -1 when it holds no reservation. */
  public long heldMinor(String accountId, String eventId) {
    Account account = accountId == null ? null : byAccount.get(accountId);
    if (account == null) return -1;
    for (Reservation r : account.byTime) if (r.eventId.equals(eventId)) return r.heldMinor();
    return -1;
  }

  /** Forgets reservations no limit period can reach any more, and releases left waiting. */
  public void sweep(long clockMillis) {
    long horizon = clockMillis - RETENTION_MILLIS;
    Iterator<Map.Entry<String, Account>> accounts = byAccount.entrySet().iterator();
    while (accounts.hasNext()) {
      Account account = accounts.next().getValue();
      List<Reservation> held = account.byTime;
      int before = held.size();
      held.removeIf(r -> r.occurredAtMillis < horizon);
      reservations -= before - held.size();
      account.sums = null; // periods that old are not asked about again; the rest re-sum on demand
      if (held.isEmpty()) accounts.remove();
    }
    pendingReleases.clear();
  }

  // ---- checkpoint ------------------------------------------------------------------------------

  /** Format version of the "ledger" part. */
  static final int FORMAT_VERSION = 1;

  /**
   * Writes every reservation, per account in time order, and the drop counter. Not written: the
   * cached period sums (derived, re-summed on demand) and releases still waiting for their
   * reservation (stored releases are read back at every start; a full replay ends by forgetting
   * the ones left waiting too).
   */
  public void writeTo(StateWriter out) throws IOException {
    out.header("ledger", FORMAT_VERSION);
    out.writeLong(dropped);
    out.writeInt(byAccount.size());
    for (Map.Entry<String, Account> e : byAccount.entrySet()) {
      out.writeString(e.getKey());
      List<Reservation> held = e.getValue().byTime;
      out.writeInt(held.size());
      for (Reservation r : held) {
        out.writeString(r.eventId);
        out.writeInt(r.type.ordinal());
        out.writeString(r.channel);
        out.writeString(r.merchantRiskLevel);
        out.writeString(r.currency);
        out.writeLong(r.occurredAtMillis);
        out.writeLong(r.amountMinor);
        out.writeLong(r.releasedMinor);
      }
    }
    out.end();
  }

  /**
   * Reads what {@link #writeTo} wrote into this ledger, which must hold no reservation yet. Releases
   * already given to it (read back from their table, waiting) are applied to the reservations read,
   * as {@link #reserve} would have.
   */
  public void readFrom(StateReader in) throws IOException {
    if (!byAccount.isEmpty()) throw new IllegalStateException("restore into an empty ledger only");
    in.expectHeader("ledger", FORMAT_VERSION);
    dropped = in.readLong();
    int accounts = in.readCount("accounts", Integer.MAX_VALUE - 8);
    EventType[] types = EventType.values();
    for (int a = 0; a < accounts; a++) {
      String accountId = in.readString();
      Account account = new Account();
      int n = in.readCount("reservations of an account", RESERVATIONS_PER_ACCOUNT_MAX);
      account.byTime.ensureCapacity(n);
      long previousMillis = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        Reservation r = new Reservation(in.readString(), in.readEnum(types), in.readString(), in.readString(),
            in.readString(), in.readLong(), in.readLong());
        r.releasedMinor = in.readLong();
        if (r.occurredAtMillis < previousMillis) throw new StateFormatException("an account's reservations are out of time order");
        if (r.releasedMinor < 0 || r.releasedMinor > r.amountMinor) throw new StateFormatException("a release outside 0..amount");
        previousMillis = r.occurredAtMillis;
        Long released = pendingReleases.remove(r.eventId);
        if (released != null) r.releasedMinor = Math.max(r.releasedMinor, Math.min(r.amountMinor, released));
        account.byTime.add(r);
      }
      byAccount.put(accountId, account);
      reservations += n;
    }
    in.expectEnd();
  }

  public long reservationCount() {
    return reservations;
  }

  public long dropped() {
    return dropped;
  }
}
