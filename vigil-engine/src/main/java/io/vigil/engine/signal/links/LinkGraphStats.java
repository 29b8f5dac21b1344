package io.vigil.engine.signal.links;

/**
 * Sizes and cap counters of an {@link IdentityLinkGraph}, for metrics.
 *
 * @param accounts account nodes (accounts with a link or a fraud label)
 * @param identifiers identifier nodes
 * @param links account-identifier links, counted on the account side
 * @param accountsFull accounts holding identifiersPerAccountMax links
 * @param identifiersSaturated identifiers that stopped storing accounts
 * @param confirmedFraudAccounts accounts with a confirmed-fraud label
 * @param linksEvicted links forgotten because their account was full, since start
 * @param accountsRefused accounts a saturated identifier did not store, since start
 * @param walksCapped cluster walks cut short or through a saturated identifier, since start
 * @param walks cluster walks, since start (one per observed event of a known account)
 */
public record LinkGraphStats(int accounts, int identifiers, long links, int accountsFull, int identifiersSaturated,
    int confirmedFraudAccounts, long linksEvicted, long accountsRefused, long walksCapped, long walks) {}
