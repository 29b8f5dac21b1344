package io.vigil.engine.signal.links;

import java.util.Arrays;

/**
 * One account of the graph: its id (needed to ask the block list), its confirmed-fraud label and
 * its identifier links, each with the first and last event time that carried it.
 *
 * <p>Links sit in three parallel arrays grown by doubling up to {@code identifiersPerAccountMax}.
 * Order carries no meaning (removal moves the last link into the hole). Bytes, 64-bit JVM with
 * compressed references: 40 for the object, 48 for the three array headers, 20 per link slot
 * (4 reference + 8 + 8), plus the id string (about 40 + its length in Latin-1).
 */
final class AccountNode {
  /** Link slots allocated for a new account: most accounts carry a handful of identifiers. */
  static final int LINKS_INITIAL = 4;

  final String accountId;
  boolean confirmedFraud;
  /** Equals the graph's walk epoch when the current cluster walk has visited this account. */
  int walkStamp;
  int linkCount;
  IdentifierNode[] identifiers = new IdentifierNode[LINKS_INITIAL];
  long[] firstSeenMillis = new long[LINKS_INITIAL];
  long[] lastSeenMillis = new long[LINKS_INITIAL];

  AccountNode(String accountId) {
    assert accountId != null;
    this.accountId = accountId;
  }

  /** Index of the link to {@code node}, or -1. At most identifiersPerAccountMax comparisons. */
  int indexOf(IdentifierNode node) {
    for (int i = 0; i < linkCount; i++) if (identifiers[i] == node) return i;
    return -1;
  }

  /** Widens the link's seen interval to include tMillis (events may arrive out of order). */
  void touch(int index, long tMillis) {
    assert index >= 0 && index < linkCount;
    firstSeenMillis[index] = Math.min(firstSeenMillis[index], tMillis);
    lastSeenMillis[index] = Math.max(lastSeenMillis[index], tMillis);
  }

  void append(IdentifierNode node, long tMillis, int linksMax) {
    assert linkCount < linksMax : "the caller evicts before appending to a full account";
    assert indexOf(node) < 0 : "one link per identifier";
    if (linkCount == identifiers.length) {
      int capacity = Math.min(linksMax, identifiers.length * 2);
      identifiers = Arrays.copyOf(identifiers, capacity);
      firstSeenMillis = Arrays.copyOf(firstSeenMillis, capacity);
      lastSeenMillis = Arrays.copyOf(lastSeenMillis, capacity);
    }
    identifiers[linkCount] = node;
    firstSeenMillis[linkCount] = tMillis;
    lastSeenMillis[linkCount] = tMillis;
    linkCount++;
  }

  /**
   * The link to forget when the account is full: of the kind holding the most links, the one
   * with the oldest last-seen time, never one of {@code keep} (the current event's identifiers,
   * which must survive the event). Taking it from the most numerous kind keeps rare, stable links
   * (a national ID sent once at registration, the phone) from being pushed out by a stream of new
   * IP addresses. Ties go to the lower kind ordinal and the lowest index. -1 if every link is kept.
   */
  int evictionVictim(IdentifierNode[] keep) {
    int[] perKind = new int[LinkKind.COUNT];
    for (int i = 0; i < linkCount; i++) if (!contains(keep, identifiers[i])) perKind[identifiers[i].kind.ordinal()]++;
    int kind = 0;
    for (int k = 1; k < LinkKind.COUNT; k++) if (perKind[k] > perKind[kind]) kind = k;
    if (perKind[kind] == 0) return -1;
    int victim = -1;
    for (int i = 0; i < linkCount; i++) {
      if (identifiers[i].kind.ordinal() != kind || contains(keep, identifiers[i])) continue;
      if (victim < 0 || lastSeenMillis[i] < lastSeenMillis[victim]) victim = i;
    }
    assert victim >= 0;
    return victim;
  }

  /** Removes the link at index and returns its identifier. */
  IdentifierNode removeAt(int index) {
    assert index >= 0 && index < linkCount;
    IdentifierNode removed = identifiers[index];
    linkCount--;
    identifiers[index] = identifiers[linkCount];
    firstSeenMillis[index] = firstSeenMillis[linkCount];
    lastSeenMillis[index] = lastSeenMillis[linkCount];
    identifiers[linkCount] = null;
    assert removed != null;
    return removed;
  }

  private static boolean contains(IdentifierNode[] nodes, IdentifierNode node) {
    for (IdentifierNode n : nodes) if (n == node) return true;
    return false;
  }
}
