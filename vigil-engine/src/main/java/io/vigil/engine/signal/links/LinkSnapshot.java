package io.vigil.engine.signal.links;

import java.util.Arrays;

/**
 * The link features of one event, computed after the event's own links were recorded. Immutable.
 * See {@link IdentityLinkGraph} for the exact definitions and what the capped flags mean.
 */
public final class LinkSnapshot {
  private final int[] accountsSharing;
  private final int sharingCappedMask;
  private final int clusterSize;
  private final boolean clusterCapped;
  private final boolean linkedBlocked;
  private final boolean linkedFraud;

  LinkSnapshot(int[] accountsSharing, int sharingCappedMask, int clusterSize, boolean clusterCapped,
      boolean linkedBlocked, boolean linkedFraud) {
    assert accountsSharing.length == LinkKind.COUNT;
    assert clusterSize >= 0;
    assert !linkedFraud || linkedBlocked : "a confirmed-fraud account counts as blocked";
    this.accountsSharing = accountsSharing;
    this.sharingCappedMask = sharingCappedMask;
    this.clusterSize = clusterSize;
    this.clusterCapped = clusterCapped;
    this.linkedBlocked = linkedBlocked;
    this.linkedFraud = linkedFraud;
  }

  /** Other accounts linked to this event's identifier of that kind; 0 if the event has none. */
  public int accountsSharing(LinkKind kind) {
    return accountsSharing[kind.ordinal()];
  }

  /** The identifier of that kind is saturated: {@link #accountsSharing} reads as the cap. */
  public boolean sharingCapped(LinkKind kind) {
    return (sharingCappedMask & (1 << kind.ordinal())) != 0;
  }

  /** Other accounts within two hops through the followed kinds, at most clusterAccountsMax. */
  public int clusterSize() {
    return clusterSize;
  }

  /** The walk was cut short by a bound or passed a saturated identifier; the size is a floor. */
  public boolean clusterCapped() {
    return clusterCapped;
  }

  /** An account the walk found is on the block list or carries a confirmed-fraud label. */
  public boolean linkedBlocked() {
    return linkedBlocked;
  }

  /** An account the walk found carries a confirmed-fraud label. */
  public boolean linkedFraud() {
    return linkedFraud;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("LinkSnapshot{");
    for (LinkKind kind : LinkKind.ALL) {
      s.append(kind.wireName()).append('=').append(accountsSharing(kind)).append(sharingCapped(kind) ? "+, " : ", ");
    }
    return s.append("cluster=").append(clusterSize).append(clusterCapped ? "+" : "")
        .append(", linkedBlocked=").append(linkedBlocked).append(", linkedFraud=").append(linkedFraud)
        .append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkSnapshot other && Arrays.equals(accountsSharing, other.accountsSharing)
        && sharingCappedMask == other.sharingCappedMask && clusterSize == other.clusterSize
        && clusterCapped == other.clusterCapped && linkedBlocked == other.linkedBlocked
        && linkedFraud == other.linkedFraud;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(accountsSharing) * 31 + clusterSize;
  }
}
