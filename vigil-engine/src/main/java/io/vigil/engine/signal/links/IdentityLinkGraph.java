package io.vigil.engine.signal.links;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.vigil.engine.Limits;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real-time identity link graph: accounts joined through the identifiers they share (device,
 * phone, card token, national ID, e-mail, IP), with bounded memory per node and bounded work per
 * event.
 *
 * <h2>Model</h2>
 * A bipartite graph of account nodes (keyed by account id, which the block list needs) and
 * identifier nodes (keyed by kind and a SipHash-2-4 of the value under the key given to the
 * constructor, so the graph never holds a raw phone number, e-mail or ID). A link joins an account
 * and an identifier that appeared together in an event, with the earliest and latest event time
 * that carried it. Events may arrive in any time order (the engine's feed is up to 24 h out of
 * order): first-seen is the minimum, last-seen the maximum; nothing else depends on time.
 *
 * <h2>Features of an event</h2>
 * {@link #observe} records the event's links first, then computes (so the event counts itself, like
 * the velocity windows):
 * <ul>
 *   <li>{@code accountsSharing(kind)}: accounts other than the event's linked to the event's
 *       identifier of that kind (0 if none), or accountsPerIdentifierMax with
 *       {@code sharingCapped(kind)} once the identifier is saturated.
 *   <li>{@code clusterSize}: other accounts within {@link LinkLimits#CLUSTER_HOPS} hops, where a
 *       hop goes account → identifier of a followed kind → account (see {@link ClusterWalk}), at
 *       most clusterAccountsMax; {@code clusterCapped} when a walk bound stopped it or it passed a
 *       saturated identifier, so the true cluster may be larger.
 *   <li>{@code linkedBlocked}: an account of that walk is blocked per the caller's predicate or
 *       carries a confirmed-fraud label; {@code linkedFraud}: one carries the label.
 * </ul>
 * While no cap binds (no eviction, no saturation, no capped walk) these equal a recount over all
 * events observed so far; {@code IdentityLinkGraphPropertyTest} checks that.
 *
 * <h2>Caps (see {@link LinkLimits})</h2>
 * An account keeps at most identifiersPerAccountMax links: a new identifier evicts the link with
 * the oldest last-seen time (never one of the current event), and its account leaves the
 * identifier. An identifier keeps at most accountsPerIdentifierMax accounts: one more saturates it
 * for good (see {@link IdentifierNode}). A walk visits at most clusterAccountsMax accounts,
 * expands at most clusterIdentifiersMax identifiers and examines at most clusterLinksMax links, so
 * one event costs O(kinds × (identifiersPerAccountMax + accountsPerIdentifierMax) + clusterLinksMax)
 * whatever the graph holds. {@code IdentityLinkGraphBench}, on a shared 2-core machine: 4–6 µs for
 * a usual event on a graph of 200,000 accounts (about 1 µs of it the five SipHash values),
 * 130–160 µs when a walk spends the default link budget.
 *
 * <h2>Memory</h2>
 * Measured by {@code IdentityLinkGraphBench#bytesPerNode} (64-bit JVM, compressed references):
 * <ul>
 *   <li>an account: about 205 bytes with room for 4 links (node 40, three link arrays 128, hash map
 *       entry ~40), plus its id string (~56 bytes for 15 characters) when the graph is its only
 *       holder; each link beyond 4 adds 20 bytes, up to 40 while the arrays double;
 *   <li>an identifier: about 85 bytes with its first link (node 40, members array 24, table slot
 *       8–16); each account beyond 2 adds 4 bytes, up to 8 while the array doubles.
 * </ul>
 * So an account with 6 unshared identifiers costs about 205 + 6 × 85 + 2 × 20 ≈ 760 bytes, and a
 * million such accounts about 0.8 GB. Caps bound each node (with the defaults an account holds at
 * most ~1.4 KB, 64 link slots of 20 bytes, and an identifier ~1.1 KB, 256 member slots of 4 bytes),
 * but the number of nodes is bounded only by what callers send:
 * every account sent with an identifier, and every identifier still linked to an account, stays
 * until evicted (identifiers ≤ accounts × identifiersPerAccountMax). An identifier whose last link
 * is evicted is dropped; an account node stays while it has a link or a fraud label.
 *
 * <h2>Threads</h2>
 * Not thread-safe, by contract, like the engine's sequencer: every method, reads included, must be
 * called from one thread at a time (the decision sequencer, or callers holding one lock). The
 * predicate is called on that thread, at most once per visited account, until it answers true.
 */
public final class IdentityLinkGraph {
  private final LinkLimits limits;
  /** One SipHash-2-4 function per kind, by ordinal, each under its own key derived from the given one. */
  private final HashFunction[] hashers = new HashFunction[LinkKind.COUNT];
  private final Map<String, AccountNode> accounts = new HashMap<>();
  private final IdentifierTable identifiers = new IdentifierTable();
  private final ClusterWalk walk;
  /** Per-event scratch: the event's identifier hashes and nodes by kind ordinal. */
  private final long[] eventHashes = new long[LinkKind.COUNT];
  private final IdentifierNode[] eventNodes = new IdentifierNode[LinkKind.COUNT];
  private long hashKey0;
  private long hashKey1;
  private int walkEpoch;
  private long linkCount;
  private int accountsFull;
  private int identifiersSaturated;
  private int confirmedFraudAccounts;
  private long linksEvicted;
  private long accountsRefused;
  private long walksCapped;
  private long walks;

  /**
   * @param limits the caps
   * @param hashKey0 first half of the 128-bit SipHash key for identifier values; keep it secret,
   *     and stable across restarts if fingerprints must stay comparable
   * @param hashKey1 second half of the key
   */
  public IdentityLinkGraph(LinkLimits limits, long hashKey0, long hashKey1) {
    if (limits == null) throw new IllegalArgumentException("limits must not be null");
    this.limits = limits;
    useHashKey(hashKey0, hashKey1);
    this.walk = new ClusterWalk(limits);
  }

  private void useHashKey(long hashKey0, long hashKey1) {
    this.hashKey0 = hashKey0;
    this.hashKey1 = hashKey1;
    HashFunction master = Hashing.sipHash24(hashKey0, hashKey1);
    for (LinkKind kind : LinkKind.ALL) {
      long k0 = master.hashString("vigil.links.k0." + kind.wireName(), StandardCharsets.UTF_8).asLong();
      long k1 = master.hashString("vigil.links.k1." + kind.wireName(), StandardCharsets.UTF_8).asLong();
      hashers[kind.ordinal()] = Hashing.sipHash24(k0, k1);
    }
  }

  public LinkLimits limits() {
    return limits;
  }

  /**
   * Records the links of one event and returns its features, computed after including them.
   *
   * @param accountId the event's account, 1 to {@link Limits#IDENTIFIER_CHARS_MAX} characters
   * @param occurredAtMillis the event time
   * @param identifiers canonical identifier values by kind; null or empty values are absent
   * @param accountBlocked whether an account id is on the block list
   */
  public LinkSnapshot observe(String accountId, long occurredAtMillis, Map<LinkKind, String> identifiers,
      Predicate<String> accountBlocked) {
    return observe(accountId, occurredAtMillis, identifiers, accountBlocked, id -> false);
  }

  /**
   * As {@link #observe(String, long, Map, Predicate)}, with {@code accountFraud} telling which
   * accounts carry a confirmed-fraud label kept outside the graph (the engine's
   * {@code confirmed_fraud} list), besides those marked with {@link #markConfirmedFraud}.
   */
  public LinkSnapshot observe(String accountId, long occurredAtMillis, Map<LinkKind, String> identifiers,
      Predicate<String> accountBlocked, Predicate<String> accountFraud) {
    requireAccountId(accountId);
    if (accountFraud == null) throw new IllegalArgumentException("accountFraud must not be null");
    if (identifiers == null) throw new IllegalArgumentException("identifiers must not be null (may be empty)");
    if (accountBlocked == null) throw new IllegalArgumentException("accountBlocked must not be null");
    int presentMask = hashIdentifiers(identifiers);
    AccountNode account = presentMask == 0 ? accounts.get(accountId)
        : accounts.computeIfAbsent(accountId, AccountNode::new);
    try {
      if (account != null) recordLinks(account, occurredAtMillis, presentMask);
      return snapshot(account, accountBlocked, accountFraud);
    } finally {
      Arrays.fill(eventNodes, null); // the next event must not see this one's nodes, even after a throw
    }
  }

  /**
   * Records the links of one event without computing its features: what journal replay at
   * start-up needs, at a fraction of {@link #observe}'s cost (no cluster walk).
   */
  public void record(String accountId, long occurredAtMillis, Map<LinkKind, String> identifiers) {
    requireAccountId(accountId);
    if (identifiers == null) throw new IllegalArgumentException("identifiers must not be null (may be empty)");
    int presentMask = hashIdentifiers(identifiers);
    try {
      if (presentMask != 0) recordLinks(accounts.computeIfAbsent(accountId, AccountNode::new), occurredAtMillis, presentMask);
    } finally {
      Arrays.fill(eventNodes, null);
    }
  }

  /** Sets or clears the confirmed-fraud label of an account (from the feedback API). */
  public void markConfirmedFraud(String accountId, boolean fraud) {
    requireAccountId(accountId);
    AccountNode account = fraud ? accounts.computeIfAbsent(accountId, AccountNode::new) : accounts.get(accountId);
    if (account == null || account.confirmedFraud == fraud) return;
    account.confirmedFraud = fraud;
    confirmedFraudAccounts += fraud ? 1 : -1;
    if (!fraud && account.linkCount == 0) accounts.remove(accountId);
    assert confirmedFraudAccounts >= 0;
  }

  /** The account's links (kind, fingerprint, times, sharing), never a raw value; empty if unknown. */
  public Links linksOf(String accountId) {
    requireAccountId(accountId);
    AccountNode account = accounts.get(accountId);
    if (account == null) return new Links(accountId, false, List.of());
    int membersMax = limits.accountsPerIdentifierMax();
    List<Links.Link> links = new ArrayList<>(account.linkCount);
    for (int i = 0; i < account.linkCount; i++) { // at most identifiersPerAccountMax
      IdentifierNode node = account.identifiers[i];
      links.add(new Links.Link(node.kind, fingerprint(node), account.firstSeenMillis[i], account.lastSeenMillis[i],
          node.othersSharing(membersMax), node.saturated, node.otherMembers(account, Links.SHARED_WITH_MAX)));
    }
    links.sort(Comparator.comparing(Links.Link::kind)
        .thenComparing(Comparator.comparingLong(Links.Link::lastSeenMillis).reversed())
        .thenComparing(Links.Link::fingerprint));
    return new Links(accountId, account.confirmedFraud, links);
  }

  public LinkGraphStats stats() {
    return new LinkGraphStats(accounts.size(), identifiers.size(), linkCount, accountsFull, identifiersSaturated,
        confirmedFraudAccounts, linksEvicted, accountsRefused, walksCapped, walks);
  }

  // ---- recording --------------------------------------------------------------------------------

  /** Hashes the present values into eventHashes; returns the bit mask of present kinds. */
  private int hashIdentifiers(Map<LinkKind, String> values) {
    int presentMask = 0;
    for (LinkKind kind : LinkKind.ALL) {
      String value = values.get(kind);
      if (value == null || value.isEmpty()) continue;
      if (value.length() > Limits.TEXT_CHARS_MAX) {
        throw new IllegalArgumentException(kind.wireName() + " must be at most " + Limits.TEXT_CHARS_MAX
            + " characters, was " + value.length());
      }
      eventHashes[kind.ordinal()] = hash(kind, value);
      presentMask |= 1 << kind.ordinal();
    }
    return presentMask;
  }

  /**
   * A keyed hash of the value under the kind's own key: the same value under two kinds gives
   * unrelated hashes. Kind keys are derived from the constructor key by name, not ordinal, so they
   * survive reordering the enum.
   */
  long hash(LinkKind kind, String value) {
    return hashers[kind.ordinal()].hashString(value, StandardCharsets.UTF_8).asLong();
  }

  /**
   * Two passes: first widen the times of links the account already has, then add the new ones, so
   * that eviction (which spares every node in eventNodes) never drops a link of this event.
   */
  private void recordLinks(AccountNode account, long tMillis, int presentMask) {
    int newMask = 0;
    for (LinkKind kind : LinkKind.ALL) {
      int k = kind.ordinal();
      if ((presentMask & (1 << k)) == 0) continue;
      IdentifierNode node = identifiers.get(kind, eventHashes[k]);
      eventNodes[k] = node;
      int index = node == null ? -1 : account.indexOf(node);
      if (index >= 0) account.touch(index, tMillis);
      else newMask |= 1 << k;
    }
    for (LinkKind kind : LinkKind.ALL) {
      int k = kind.ordinal();
      if ((newMask & (1 << k)) == 0) continue;
      if (eventNodes[k] == null) eventNodes[k] = identifiers.create(kind, eventHashes[k]);
      addLink(account, eventNodes[k], tMillis);
    }
  }

  private void addLink(AccountNode account, IdentifierNode node, long tMillis) {
    int linksMax = limits.identifiersPerAccountMax();
    if (account.linkCount == linksMax) {
      int victim = account.evictionVictim(eventNodes);
      assert victim >= 0 : "linksMax >= kinds, and the link being added is not yet held";
      unlink(account, account.removeAt(victim));
      linksEvicted++;
    } else if (account.linkCount == linksMax - 1) {
      accountsFull++;
    }
    account.append(node, tMillis, linksMax);
    node.linkCount++;
    linkCount++;
    boolean wasSaturated = node.saturated;
    if (!node.addMember(account, limits.accountsPerIdentifierMax())) accountsRefused++;
    if (node.saturated && !wasSaturated) identifiersSaturated++;
  }

  /** Removes one account-side link; drops the identifier when no account links to it any more. */
  private void unlink(AccountNode account, IdentifierNode node) {
    node.removeMember(account);
    node.linkCount--;
    linkCount--;
    assert node.linkCount >= 0 && linkCount >= 0;
    if (node.linkCount > 0) return;
    assert node.memberCount == 0;
    identifiers.remove(node);
    if (node.saturated) identifiersSaturated--;
  }

  // ---- checkpoint ------------------------------------------------------------------------------

  /**
   * Writes the graph: the caps it was built under (a restore under others is refused, since they
   * shaped it), the hash key, the counters, every account with its links in their order, and every
   * identifier with its members in their order (the order decides which accounts a capped walk
   * reaches first, so it is kept).
   */
  public void writeTo(StateWriter out) throws IOException {
    out.writeInt(limits.identifiersPerAccountMax());
    out.writeInt(limits.accountsPerIdentifierMax());
    out.writeLong(hashKey0);
    out.writeLong(hashKey1);
    out.writeInt(walkEpoch);
    out.writeLong(linkCount);
    out.writeInt(accountsFull);
    out.writeInt(identifiersSaturated);
    out.writeInt(confirmedFraudAccounts);
    out.writeLong(linksEvicted);
    out.writeLong(accountsRefused); // not the walk counters: they count this process's walks, as after a full replay
    Map<AccountNode, Integer> numbers = new HashMap<>(accounts.size() * 2);
    out.writeInt(accounts.size());
    for (AccountNode a : accounts.values()) {
      numbers.put(a, numbers.size());
      out.writeString(a.accountId);
      out.writeBoolean(a.confirmedFraud);
    }
    out.writeInt(identifiers.size());
    for (IdentifierNode node : identifiers.nodes()) {
      out.writeInt(node.kind.ordinal());
      out.writeLong(node.hash);
      out.writeBoolean(node.saturated);
      out.writeInt(node.linkCount);
      out.writeInt(node.memberCount);
      for (int i = 0; i < node.memberCount; i++) out.writeInt(numbers.get(node.members[i]));
    }
    for (AccountNode a : accounts.values()) {
      out.writeInt(a.linkCount);
      for (int i = 0; i < a.linkCount; i++) {
        out.writeInt(a.identifiers[i].kind.ordinal());
        out.writeLong(a.identifiers[i].hash);
        out.writeLong(a.firstSeenMillis[i]);
        out.writeLong(a.lastSeenMillis[i]);
      }
    }
  }

  /** Reads what {@link #writeTo} wrote into this graph, which must be empty. */
  public void readFrom(StateReader in) throws IOException {
    if (!accounts.isEmpty() || identifiers.size() != 0) throw new IllegalStateException("restore into an empty graph only");
    int identifiersPerAccountMax = in.readInt();
    int accountsPerIdentifierMax = in.readInt();
    if (identifiersPerAccountMax != limits.identifiersPerAccountMax() || accountsPerIdentifierMax != limits.accountsPerIdentifierMax()) {
      throw new StateFormatException("the checkpoint's link graph was built with " + identifiersPerAccountMax
          + " identifiers per account and " + accountsPerIdentifierMax + " accounts per identifier; these limits differ");
    }
    useHashKey(in.readLong(), in.readLong());
    walkEpoch = in.readInt();
    linkCount = in.readLong();
    accountsFull = in.readInt();
    identifiersSaturated = in.readInt();
    confirmedFraudAccounts = in.readInt();
    linksEvicted = in.readLong();
    accountsRefused = in.readLong();
    int accountCount = in.readCount("accounts", Integer.MAX_VALUE - 8);
    AccountNode[] byNumber = new AccountNode[accountCount];
    for (int i = 0; i < accountCount; i++) {
      AccountNode a = new AccountNode(in.readString());
      a.confirmedFraud = in.readBoolean();
      byNumber[i] = a;
      accounts.put(a.accountId, a);
    }
    int identifierCount = in.readCount("identifiers", Integer.MAX_VALUE - 8);
    for (int i = 0; i < identifierCount; i++) {
      LinkKind kind = in.readEnum(LinkKind.ALL);
      long hash = in.readLong();
      if (identifiers.get(kind, hash) != null) throw new StateFormatException("an identifier appears twice");
      IdentifierNode node = identifiers.create(kind, hash);
      node.saturated = in.readBoolean();
      node.linkCount = in.readCount("links of an identifier", Integer.MAX_VALUE - 8);
      int members = in.readCount("members of an identifier", limits.accountsPerIdentifierMax());
      node.members = new AccountNode[Math.max(IdentifierNode.MEMBERS_INITIAL, members)];
      for (int m = 0; m < members; m++) node.members[m] = byNumber[in.readCount("account number", accountCount - 1)];
      node.memberCount = members;
    }
    for (AccountNode a : byNumber) {
      int links = in.readCount("links of an account", limits.identifiersPerAccountMax());
      int capacity = Math.max(AccountNode.LINKS_INITIAL, links);
      a.identifiers = new IdentifierNode[capacity];
      a.firstSeenMillis = new long[capacity];
      a.lastSeenMillis = new long[capacity];
      for (int i = 0; i < links; i++) {
        LinkKind kind = in.readEnum(LinkKind.ALL);
        IdentifierNode node = identifiers.get(kind, in.readLong());
        if (node == null) throw new StateFormatException("an account links to an identifier the part does not hold");
        a.identifiers[i] = node;
        a.firstSeenMillis[i] = in.readLong();
        a.lastSeenMillis[i] = in.readLong();
      }
      a.linkCount = links;
    }
  }

  // ---- features ---------------------------------------------------------------------------------

  private LinkSnapshot snapshot(AccountNode account, Predicate<String> accountBlocked, Predicate<String> accountFraud) {
    int[] sharing = new int[LinkKind.COUNT];
    int cappedMask = 0;
    int membersMax = limits.accountsPerIdentifierMax();
    for (int k = 0; k < LinkKind.COUNT; k++) {
      IdentifierNode node = eventNodes[k];
      if (node == null) continue;
      sharing[k] = node.othersSharing(membersMax);
      if (node.saturated) cappedMask |= 1 << k;
    }
    if (account == null) return new LinkSnapshot(sharing, cappedMask, 0, false, false, false);
    walk.run(account, nextWalkEpoch(), accountBlocked, accountFraud);
    walks++;
    if (walk.capped) walksCapped++;
    return new LinkSnapshot(sharing, cappedMask, walk.accountsFound, walk.capped, walk.linkedBlocked,
        walk.linkedFraud);
  }

  /** A walk epoch no node carries yet; clears every stamp once every 2^31 walks. */
  private int nextWalkEpoch() {
    if (walkEpoch == Integer.MAX_VALUE) {
      for (AccountNode account : accounts.values()) account.walkStamp = 0;
      identifiers.resetWalkStamps();
      walkEpoch = 0;
    }
    walkEpoch++;
    return walkEpoch;
  }

  /** Test hook: makes the next walk wrap the epoch. */
  void setWalkEpochForTest(int epoch) {
    walkEpoch = epoch;
  }

  private static String fingerprint(IdentifierNode node) {
    String hex = Long.toHexString(node.hash);
    return node.kind.wireName() + ":" + "0".repeat(16 - hex.length()) + hex;
  }

  private static void requireAccountId(String accountId) {
    if (accountId == null || accountId.isEmpty()) throw new IllegalArgumentException("accountId must not be empty");
    if (accountId.length() > Limits.IDENTIFIER_CHARS_MAX) {
      throw new IllegalArgumentException("accountId must be at most " + Limits.IDENTIFIER_CHARS_MAX
          + " characters, was " + accountId.length());
    }
  }
}
