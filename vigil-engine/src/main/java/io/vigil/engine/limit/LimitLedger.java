package io.vigil.engine.limit;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventType;
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
 */
public final class LimitLedger {
  public static final int RESERVATIONS_PER_ACCOUNT_MAX = 10_000;
  public static final int RETENTION_DAYS = 33;
  static final long RETENTION_MILLIS = RETENTION_DAYS * LimitPeriod.DAY_MILLIS;
  /** Releases that arrived before their reservation (only while the journal is replayed). */
  static final int PENDING_RELEASES_MAX = 1_000_000;

  private final Map<String, List<Reservation>> byAccount = new HashMap<>();
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
      this.eventId = e.eventId();
      this.type = e.type();
      this.channel = e.channel();
      this.merchantRiskLevel = e.merchantRiskLevel();
      this.currency = e.currency();
      this.occurredAtMillis = e.occurredAtMillis();
      this.amountMinor = e.amountMinor();
    }

    long heldMinor() {
      return amountMinor - releasedMinor;
    }
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
      if (limit.period() != LimitPeriod.SINGLE) {
        long start = limit.period().startMillis(e.occurredAtMillis(), zone);
        List<Reservation> held = byAccount.get(e.accountId());
        if (held != null) {
          for (Reservation r : held) {
            if (r.occurredAtMillis < start || !r.currency.equals(limit.currency())
                || !limit.countsSpend(r.type, r.channel, r.merchantRiskLevel) || r.heldMinor() == 0) {
              continue;
            }
            used = Math.addExact(used, r.heldMinor());
            if (r.occurredAtMillis < oldest) oldest = r.occurredAtMillis;
          }
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

  /** Holds the event's amount on its account (call only when {@link #reserves} is true). */
  public void reserve(Event e) {
    Reservation r = new Reservation(e);
    Long released = pendingReleases.remove(e.eventId());
    if (released != null) r.releasedMinor = Math.min(r.amountMinor, released);
    List<Reservation> held = byAccount.computeIfAbsent(e.accountId(), k -> new ArrayList<>());
    if (held.size() >= RESERVATIONS_PER_ACCOUNT_MAX) {
      int oldestAt = 0;
      for (int i = 1; i < held.size(); i++) if (held.get(i).occurredAtMillis < held.get(oldestAt).occurredAtMillis) oldestAt = i;
      held.remove(oldestAt);
      reservations--;
      dropped++;
    }
    held.add(r);
    reservations++;
  }

  /**
   * Releases {@code releasedMinor} of an event's reservation (the total released, not an increment,
   * so that applying the same stored release twice changes nothing). A release for a reservation not
   * yet replayed waits for it. Returns the amount still held, or -1 when the reservation is unknown.
   */
  public long release(String accountId, String eventId, long releasedMinor) {
    if (releasedMinor < 0) throw new IllegalArgumentException("a release is ≥ 0");
    List<Reservation> held = accountId == null ? null : byAccount.get(accountId);
    if (held != null) {
      for (Reservation r : held) {
        if (r.eventId.equals(eventId)) {
          r.releasedMinor = Math.max(r.releasedMinor, Math.min(r.amountMinor, releasedMinor));
          return r.heldMinor();
        }
      }
    }
    if (pendingReleases.size() < PENDING_RELEASES_MAX) pendingReleases.merge(eventId, releasedMinor, Math::max);
    return -1;
  }

  /** The amount an event still holds, or -1 when it holds no reservation. */
  public long heldMinor(String accountId, String eventId) {
    List<Reservation> held = accountId == null ? null : byAccount.get(accountId);
    if (held == null) return -1;
    for (Reservation r : held) if (r.eventId.equals(eventId)) return r.heldMinor();
    return -1;
  }

  /** Forgets reservations no limit period can reach any more, and releases left waiting. */
  public void sweep(long clockMillis) {
    long horizon = clockMillis - RETENTION_MILLIS;
    Iterator<Map.Entry<String, List<Reservation>>> accounts = byAccount.entrySet().iterator();
    while (accounts.hasNext()) {
      List<Reservation> held = accounts.next().getValue();
      int before = held.size();
      held.removeIf(r -> r.occurredAtMillis < horizon);
      reservations -= before - held.size();
      if (held.isEmpty()) accounts.remove();
    }
    pendingReleases.clear();
  }

  public long reservationCount() {
    return reservations;
  }

  public long dropped() {
    return dropped;
  }
}
