package io.vigil.engine.signal.links;

import java.util.ArrayList;
import java.util.List;

/**
 * Open-addressing table of identifier nodes keyed by (kind, hash), without boxing. Linear probing,
 * load factor at most 1/2, backward-shift deletion (no tombstones, so lookups never slow down
 * after churn). Costs 8 bytes per identifier at the lowest load (one reference slot, 4 bytes, at
 * load 1/2) and 16 right after growing. The table does not shrink. Not thread-safe.
 */
final class IdentifierTable {
  private static final int CAPACITY_INITIAL = 1_024;
  /** Largest power-of-two array Java allows; at load 1/2 that is 2^29 identifiers. */
  private static final int CAPACITY_MAX = 1 << 30;

  private IdentifierNode[] slots = new IdentifierNode[CAPACITY_INITIAL];
  private int size;

  static {
    if (Integer.bitCount(CAPACITY_INITIAL) != 1) throw new AssertionError("capacity must be a power of two");
  }

  int size() {
    return size;
  }

  /** The node for (kind, hash), or null. */
  IdentifierNode get(LinkKind kind, long hash) {
    int mask = slots.length - 1;
    int i = home(kind, hash, mask);
    for (int probe = 0; probe < slots.length; probe++) {
      IdentifierNode node = slots[i];
      if (node == null) return null;
      if (node.hash == hash && node.kind == kind) return node;
      i = (i + 1) & mask;
    }
    throw new AssertionError("a table at load 1/2 has empty slots");
  }

  /** Adds a new node for (kind, hash), which must be absent, and returns it. */
  IdentifierNode create(LinkKind kind, long hash) {
    assert get(kind, hash) == null;
    if ((size + 1) * 2 > slots.length) grow();
    IdentifierNode node = new IdentifierNode(kind, hash);
    place(slots, node);
    size++;
    return node;
  }

  /** Removes the node, which must be present. */
  void remove(IdentifierNode node) {
    int mask = slots.length - 1;
    int hole = home(node.kind, node.hash, mask);
    for (int probe = 0; slots[hole] != node; probe++) {
      if (probe == slots.length) throw new AssertionError("removing a node that is not in the table");
      hole = (hole + 1) & mask;
    }
    slots[hole] = null;
    size--;
    // Backward shift: move later nodes of the same probe run into the hole when their home allows.
    int j = hole;
    for (int probe = 0; probe < slots.length; probe++) {
      j = (j + 1) & mask;
      IdentifierNode moved = slots[j];
      if (moved == null) return;
      int home = home(moved.kind, moved.hash, mask);
      // moved may fill the hole unless its home lies cyclically in (hole, j].
      boolean homeAfterHole = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (homeAfterHole) continue;
      slots[hole] = moved;
      slots[j] = null;
      hole = j;
    }
    throw new AssertionError("a table at load 1/2 has empty slots");
  }

  /** Every node, in slot order (for a checkpoint). */
  List<IdentifierNode> nodes() {
    List<IdentifierNode> out = new ArrayList<>(size);
    for (IdentifierNode node : slots) if (node != null) out.add(node);
    return out;
  }

  /** Sets every node's walk stamp to 0; used when the walk epoch wraps. */
  void resetWalkStamps() {
    for (IdentifierNode node : slots) if (node != null) node.walkStamp = 0;
  }

  private void grow() {
    if (slots.length == CAPACITY_MAX) throw new IllegalStateException("identifier table is full: " + size);
    IdentifierNode[] old = slots;
    slots = new IdentifierNode[old.length * 2];
    for (IdentifierNode node : old) if (node != null) place(slots, node);
  }

  private static void place(IdentifierNode[] into, IdentifierNode node) {
    int mask = into.length - 1;
    int i = home(node.kind, node.hash, mask);
    for (int probe = 0; probe < into.length; probe++) {
      if (into[i] == null) {
        into[i] = node;
        return;
      }
      i = (i + 1) & mask;
    }
    throw new AssertionError("a table at load 1/2 has empty slots");
  }

  private static int home(LinkKind kind, long hash, int mask) {
    long x = hash + kind.ordinal() * 0x9e3779b97f4a7c15L;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return (int) x & mask;
  }
}
