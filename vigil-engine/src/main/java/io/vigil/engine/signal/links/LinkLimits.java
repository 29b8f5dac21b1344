package io.vigil.engine.signal.links;

import java.util.EnumSet;
import java.util.Set;

/**
 * The bounds of an {@link IdentityLinkGraph}: how much it remembers and how much work one event may
 * cost. Every value is checked when the record is built; a bad value fails at startup and is never
 * rewritten.
 *
 * @param identifiersPerAccountMax identifier links one account keeps. When a new identifier arrives
 *     and the account is full, the link with the oldest last-seen time among the kind holding the
 *     most links is forgotten (never one the current event carries), so a stream of new IPs cannot
 *     push out a national ID or a phone; counted in {@link LinkGraphStats#linksEvicted()}.
 * @param accountsPerIdentifierMax accounts one identifier keeps. When another account links to an
 *     identifier that already keeps this many, the identifier becomes <em>saturated</em> for good:
 *     it stores no new account, its sharing count reads as this cap with the capped flag, and any
 *     cluster walk through it is flagged capped.
 * @param clusterAccountsMax other accounts one cluster walk may visit. Finding one more stops the
 *     walk, and the cluster size reads as this cap with the capped flag.
 * @param clusterIdentifiersMax distinct identifiers one cluster walk may expand (list the accounts
 *     of). Needing one more stops the walk with the capped flag.
 * @param clusterLinksMax account-identifier links one cluster walk may examine, in both directions
 *     (an account's identifiers, an identifier's accounts). This bounds the work of a walk to
 *     {@code clusterLinksMax} pointer loads; needing one more stops the walk with the capped flag.
 * @param clusterKinds the kinds the cluster walk follows. The default leaves out {@link LinkKind#IP}:
 *     carrier-grade NAT and mobile gateways put thousands of strangers behind one address.
 */
public record LinkLimits(int identifiersPerAccountMax, int accountsPerIdentifierMax, int clusterAccountsMax,
    int clusterIdentifiersMax, int clusterLinksMax, Set<LinkKind> clusterKinds) {

  /** Hops of the cluster walk: account, shared identifier, account, shared identifier, account. */
  public static final int CLUSTER_HOPS = 2;

  /** Ceiling for identifiersPerAccountMax; an account with more is an aggregator, not a person. */
  public static final int IDENTIFIERS_PER_ACCOUNT_MAX_CEILING = 4_096;

  /** Ceiling for accountsPerIdentifierMax; one identifier node then holds at most 256 KiB. */
  public static final int ACCOUNTS_PER_IDENTIFIER_MAX_CEILING = 65_536;

  /** Ceiling for clusterAccountsMax; the walk's queue is preallocated to this size. */
  public static final int CLUSTER_ACCOUNTS_MAX_CEILING = 1_000_000;

  /**
   * Ceiling for clusterLinksMax and clusterIdentifiersMax: a walk examines a link in about 4 ns
   * (IdentityLinkGraphBench), so no configuration lets one event walk for more than about 4 ms.
   */
  public static final int CLUSTER_LINKS_MAX_CEILING = 1_000_000;

  static {
    if (CLUSTER_HOPS != 2) throw new AssertionError("the walk and its documentation assume two hops");
    if (IDENTIFIERS_PER_ACCOUNT_MAX_CEILING < LinkKind.COUNT) throw new AssertionError("one event must fit");
  }

  public LinkLimits {
    requireBetween("identifiersPerAccountMax", identifiersPerAccountMax, LinkKind.COUNT,
        IDENTIFIERS_PER_ACCOUNT_MAX_CEILING);
    requireBetween("accountsPerIdentifierMax", accountsPerIdentifierMax, 2, ACCOUNTS_PER_IDENTIFIER_MAX_CEILING);
    requireBetween("clusterAccountsMax", clusterAccountsMax, 1, CLUSTER_ACCOUNTS_MAX_CEILING);
    requireBetween("clusterIdentifiersMax", clusterIdentifiersMax, 1, CLUSTER_LINKS_MAX_CEILING);
    requireBetween("clusterLinksMax", clusterLinksMax, 1, CLUSTER_LINKS_MAX_CEILING);
    if (clusterKinds == null) throw new IllegalArgumentException("clusterKinds must not be null (may be empty)");
    clusterKinds = clusterKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(clusterKinds));
  }

  /**
   * The defaults: 64 identifiers per account, 256 accounts per identifier, walks of at most 1,000
   * accounts, 4,096 identifiers and 32,768 links, following every kind but IP. A walk over 1,000
   * accounts of 8 followed identifiers each examines about 16,000 links (both directions), so the
   * link budget binds only on denser neighbourhoods; spending it all costs about 130 µs.
   */
  public static LinkLimits defaults() {
    return new LinkLimits(64, 256, 1_000, 4_096, 32_768, EnumSet.complementOf(EnumSet.of(LinkKind.IP)));
  }

  /** These limits with the cluster walk following exactly the given kinds. */
  public LinkLimits withClusterKinds(Set<LinkKind> kinds) {
    return new LinkLimits(identifiersPerAccountMax, accountsPerIdentifierMax, clusterAccountsMax,
        clusterIdentifiersMax, clusterLinksMax, kinds);
  }

  private static void requireBetween(String name, int value, int min, int max) {
    if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    if (value > max) throw new IllegalArgumentException(name + " must be at most " + max + ", was " + value);
  }
}
