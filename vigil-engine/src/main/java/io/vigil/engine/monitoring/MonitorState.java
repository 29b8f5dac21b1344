package io.vigil.engine.monitoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transfer graph and account histories the scenarios read, bounded three ways: by age (nothing
 * older than {@link #HISTORY_MILLIS} is kept: an account's queues drop their oldest entries as it
 * moves), by count per account (at most {@link #MOVES_PER_ACCOUNT_MAX} money movements out and as
 * many in, at most {@link #IDENTITIES_PER_ACCOUNT_MAX} identity keys) and by accounts and identity
 * keys held (least recently touched evicted first, {@code accountsMax} and {@code identitiesMax}).
 * An edge of the graph is the movement itself, held in the sender's out-queue and the receiver's
 * in-queue. Single-threaded: the monitor owns it.
 */
public final class MonitorState {
  /** How far back history reaches: the longest window (90 days) plus the earlier windows fan baselines read. */
  public static final long HISTORY_MILLIS = 160L * 86_400_000L;
  public static final int MOVES_PER_ACCOUNT_MAX = 256;
  public static final int IDENTITIES_PER_ACCOUNT_MAX = 8;
  /** Accounts remembered per identity key (device, phone, national id). */
  public static final int ACCOUNTS_PER_IDENTITY_MAX = 64;

  /** One account's recent movements and the identities it used. */
  public static final class Account {
    final ArrayDeque<Movement> out = new ArrayDeque<>();
    final ArrayDeque<Movement> in = new ArrayDeque<>();
    final LinkedHashSet<String> identities = new LinkedHashSet<>();
    long lastSeenMillis = Long.MIN_VALUE;

    public Iterable<Movement> out() {
      return out;
    }

    public Iterable<Movement> in() {
      return in;
    }

    public long lastSeenMillis() {
      return lastSeenMillis;
    }
  }

  /** An account's last use of an identity key. */
  public record Use(String accountId, long atMillis) {}

  private final LinkedHashMap<String, Account> accounts;
  private final LinkedHashMap<String, LinkedHashMap<String, Long>> identities;

  public MonitorState(int accountsMax, int identitiesMax) {
    if (accountsMax < 1 || identitiesMax < 1) throw new IllegalArgumentException("state caps are at least 1");
    this.accounts = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Account> eldest) {
        return size() > accountsMax;
      }
    };
    this.identities = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<String, Long>> eldest) {
        return size() > identitiesMax;
      }
    };
  }

  /** The account's history, or null if unknown (never seen, or evicted). */
  public Account account(String accountId) {
    return accountId == null ? null : accounts.get(accountId);
  }

  public int accounts() {
    return accounts.size();
  }

  public int identityKeys() {
    return identities.size();
  }

  /** Adds the movement: to the sender's out-queue, the receiver's in-queue, the identity index. */
  public void add(Movement m) {
    if (m.accountId() == null) return;
    Account a = accounts.computeIfAbsent(m.accountId(), k -> new Account());
    a.lastSeenMillis = Math.max(a.lastSeenMillis, m.occurredAtMillis());
    long horizon = m.occurredAtMillis() - HISTORY_MILLIS;
    if (m.movesMoney()) push(a.out, m, horizon);
    if (m.isTransfer()) {
      Account b = accounts.computeIfAbsent(m.counterpartyId(), k -> new Account());
      push(b.in, m, horizon);
    }
    for (String key : m.identities()) {
      a.identities.remove(key);
      a.identities.add(key);
      if (a.identities.size() > IDENTITIES_PER_ACCOUNT_MAX) a.identities.remove(a.identities.iterator().next());
      LinkedHashMap<String, Long> uses = identities.computeIfAbsent(key, k -> new LinkedHashMap<>());
      uses.remove(m.accountId());
      uses.put(m.accountId(), m.occurredAtMillis());
      if (uses.size() > ACCOUNTS_PER_IDENTITY_MAX) uses.remove(uses.keySet().iterator().next());
    }
  }

  private static void push(ArrayDeque<Movement> q, Movement m, long horizon) {
    q.addLast(m);
    while (q.size() > MOVES_PER_ACCOUNT_MAX || q.peekFirst().occurredAtMillis() < horizon) q.removeFirst();
  }

  /** The accounts that used the identity key, oldest use first. */
  public List<Use> uses(String identityKey) {
    LinkedHashMap<String, Long> uses = identities.get(identityKey);
    if (uses == null) return List.of();
    List<Use> out = new ArrayList<>(uses.size());
    uses.forEach((acct, at) -> out.add(new Use(acct, at)));
    return out;
  }

  /**
   * The account and the accounts linked to it through a shared identity key (a device, phone or
   * identity it used): at most {@code IDENTITIES_PER_ACCOUNT_MAX × ACCOUNTS_PER_IDENTITY_MAX} accounts.
   */
  public Set<String> linked(String accountId) {
    Set<String> out = new LinkedHashSet<>();
    out.add(accountId);
    Account a = accounts.get(accountId);
    if (a == null) return out;
    for (String key : a.identities) {
      LinkedHashMap<String, Long> uses = identities.get(key);
      if (uses != null) out.addAll(uses.keySet());
    }
    return out;
  }

  /** The account's movements out since {@code fromMillis}, oldest first. */
  public List<Movement> outSince(String accountId, long fromMillis) {
    Account a = accounts.get(accountId);
    return a == null ? List.of() : since(a.out, fromMillis);
  }

  /** The account's transfers in since {@code fromMillis}, oldest first. */
  public List<Movement> inSince(String accountId, long fromMillis) {
    Account a = accounts.get(accountId);
    return a == null ? List.of() : since(a.in, fromMillis);
  }

  private static List<Movement> since(ArrayDeque<Movement> q, long fromMillis) {
    List<Movement> out = new ArrayList<>();
    Iterator<Movement> it = q.descendingIterator();
    while (it.hasNext()) {
      Movement m = it.next();
      if (m.occurredAtMillis() < fromMillis) break;
      out.add(0, m);
    }
    return out;
  }
}
