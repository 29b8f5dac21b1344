package io.vigil.engine.signal.links;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The bounded breadth-first walk behind the cluster features: from one account, through the
 * identifiers of the followed kinds, to the accounts linked to them, {@link LinkLimits#CLUSTER_HOPS}
 * times. An explicit queue (preallocated, {@code clusterAccountsMax + 1} slots) and visited stamps
 * on the nodes replace recursion and visited sets, so a walk allocates nothing.
 *
 * <p>Each identifier is expanded at most once per walk, at the smallest depth it is reached (the
 * walk is breadth-first), so re-expanding it deeper could only find accounts already visited.
 * Accounts at the last hop are counted and inspected but not queued. The walk stops as soon as it
 * would exceed one of its three bounds, and says so in {@link #capped}; it is also capped when it
 * passes through a saturated identifier, whose refused accounts it cannot see.
 */
final class ClusterWalk {
  private final boolean[] follows = new boolean[LinkKind.COUNT];
  private final int accountsMax;
  private final int identifiersMax;
  private final int linksMax;
  private final AccountNode[] queue;
  private final byte[] depth;

  private int epoch;
  private int tail;
  private int linksExamined;
  private int identifiersExpanded;
  private Predicate<String> blocked;
  private Predicate<String> fraud;

  /** Other accounts visited, at most clusterAccountsMax. */
  int accountsFound;
  /** True when a bound stopped the walk or it passed a saturated identifier. */
  boolean capped;
  /** A visited account is blocked or confirmed fraud. */
  boolean linkedBlocked;
  /** A visited account is confirmed fraud. */
  boolean linkedFraud;

  ClusterWalk(LinkLimits limits) {
    for (LinkKind kind : limits.clusterKinds()) follows[kind.ordinal()] = true;
    this.accountsMax = limits.clusterAccountsMax();
    this.identifiersMax = limits.clusterIdentifiersMax();
    this.linksMax = limits.clusterLinksMax();
    this.queue = new AccountNode[accountsMax + 1];
    this.depth = new byte[accountsMax + 1];
    assert LinkLimits.CLUSTER_HOPS < Byte.MAX_VALUE;
  }

  /**
   * Walks from {@code self}. {@code walkEpoch} must differ from every stamp left by earlier walks;
   * {@code accountBlocked} and {@code accountFraud} are asked about each visited account until
   * one answers true.
   */
  void run(AccountNode self, int walkEpoch, Predicate<String> accountBlocked, Predicate<String> accountFraud) {
    assert self.walkStamp != walkEpoch;
    epoch = walkEpoch;
    blocked = accountBlocked;
    fraud = accountFraud;
    tail = 0;
    linksExamined = 0;
    identifiersExpanded = 0;
    accountsFound = 0;
    capped = false;
    linkedBlocked = false;
    linkedFraud = false;
    self.walkStamp = epoch;
    queue[tail] = self;
    depth[tail] = 0;
    tail++;
    try {
      for (int head = 0; head < tail; head++) { // tail <= accountsMax + 1: each account is queued once
        assert depth[head] < LinkLimits.CLUSTER_HOPS;
        if (!expandAccount(queue[head], depth[head])) break;
      }
    } finally {
      Arrays.fill(queue, 0, tail, null); // keep no account reachable after the walk
      blocked = null;
    }
    assert accountsFound <= accountsMax;
    assert linksExamined <= linksMax && identifiersExpanded <= identifiersMax;
  }

  /** Expands the account's followed identifiers; false when a bound stopped the walk. */
  private boolean expandAccount(AccountNode account, int accountDepth) {
    for (int i = 0; i < account.linkCount; i++) {
      if (linksExamined == linksMax) return stop();
      linksExamined++;
      IdentifierNode identifier = account.identifiers[i];
      if (!follows[identifier.kind.ordinal()] || identifier.walkStamp == epoch) continue;
      if (identifiersExpanded == identifiersMax) return stop();
      identifiersExpanded++;
      identifier.walkStamp = epoch;
      if (identifier.saturated) capped = true;
      if (!expandIdentifier(identifier, accountDepth + 1)) return false;
    }
    return true;
  }

  /** Visits the identifier's accounts not yet visited; false when a bound stopped the walk. */
  private boolean expandIdentifier(IdentifierNode identifier, int memberDepth) {
    assert memberDepth >= 1 && memberDepth <= LinkLimits.CLUSTER_HOPS;
    for (int m = 0; m < identifier.memberCount; m++) {
      if (linksExamined == linksMax) return stop();
      linksExamined++;
      AccountNode member = identifier.members[m];
      if (member.walkStamp == epoch) continue;
      if (accountsFound == accountsMax) return stop();
      member.walkStamp = epoch;
      accountsFound++;
      inspect(member);
      if (memberDepth < LinkLimits.CLUSTER_HOPS) {
        queue[tail] = member;
        depth[tail] = (byte) memberDepth;
        tail++;
      }
    }
    return true;
  }

  private void inspect(AccountNode account) {
    if (!linkedFraud && (account.confirmedFraud || fraud.test(account.accountId))) {
      linkedFraud = true;
      linkedBlocked = true;
    } else if (!linkedBlocked && blocked.test(account.accountId)) {
      linkedBlocked = true;
    }
  }

  private boolean stop() {
    capped = true;
    return false;
  }
}
