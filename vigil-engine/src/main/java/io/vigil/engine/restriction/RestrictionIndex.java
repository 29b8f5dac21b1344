package io.vigil.engine.restriction;

import io.vigil.engine.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The restrictions in force, by account, for the decision path. Written by the API threads after
 * the database has stored a change, read by the sequencer: each account's list is replaced whole,
 * so a reader sees the list before or after a change, never half of it.
 */
public final class RestrictionIndex {
  /** Restrictions one account may hold at once (active ones; lifted and expired ones are dropped). */
  public static final int PER_ACCOUNT_MAX = 32;
  private final Map<String, List<Restriction>> byAccount = new ConcurrentHashMap<>();

  /** Adds or replaces (same id) a restriction; lifted or expired ones leave the index. */
  public void put(Restriction r, long nowMillis) {
    byAccount.compute(r.accountId(), (account, held) -> {
      List<Restriction> next = new ArrayList<>();
      if (held != null) {
        for (Restriction h : held) if (!h.id().equals(r.id()) && h.activeAt(nowMillis)) next.add(h);
      }
      if (r.activeAt(nowMillis)) next.add(r);
      return next.isEmpty() ? null : List.copyOf(next);
    });
  }

  /** Whether the account has room for one more restriction. */
  public boolean hasRoomFor(String accountId, long nowMillis) {
    return active(accountId, nowMillis).size() < PER_ACCOUNT_MAX;
  }

  /** The restrictions in force on the account at nowMillis, oldest first. */
  public List<Restriction> active(String accountId, long nowMillis) {
    if (accountId == null) return List.of();
    List<Restriction> held = byAccount.get(accountId);
    if (held == null) return List.of();
    List<Restriction> out = new ArrayList<>(held.size());
    for (Restriction r : held) if (r.activeAt(nowMillis)) out.add(r);
    return out;
  }

  /** The first restriction in force that stops this event type, or null. */
  public Restriction stopping(String accountId, EventType type, long nowMillis) {
    return firstInForce(accountId, nowMillis, r -> r.kind().stops(type));
  }

  /**
   * The first restriction in force on the id an event names as its merchant that stops this event
   * type (a freeze stops payments to the merchant), or null. Restrictions are kept by id, so one
   * on an id serves it as an account and as a merchant alike.
   */
  public Restriction stoppingMerchant(String merchantId, EventType type, long nowMillis) {
    return firstInForce(merchantId, nowMillis, r -> r.kind().stopsAsMerchant(type));
  }

  private Restriction firstInForce(String id, long nowMillis, Predicate<Restriction> stops) {
    if (id == null) return null;
    List<Restriction> held = byAccount.get(id);
    if (held == null) return null;
    for (Restriction r : held) if (r.activeAt(nowMillis) && stops.test(r)) return r;
    return null;
  }
}
