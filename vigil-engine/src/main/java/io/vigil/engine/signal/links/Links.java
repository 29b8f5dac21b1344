package io.vigil.engine.signal.links;

import java.util.List;

/**
 * What the graph knows about one account, for an API: never a raw identifier value.
 *
 * @param accountId the account asked about
 * @param confirmedFraud whether the account carries a confirmed-fraud label
 * @param identifiers its remembered links, by kind, most recently seen first within a kind
 */
public record Links(String accountId, boolean confirmedFraud, List<Link> identifiers) {
  public Links {
    identifiers = List.copyOf(identifiers);
  }

  /**
   * One identifier link of the account.
   *
   * @param kind the identifier's kind
   * @param fingerprint {@code <kind>:<16 hex digits>} of the keyed hash the graph stores. Equal
   *     fingerprints mean the same identifier (within one hash key); the value cannot be recovered
   *     from it without the key, and the hash key should be treated as a secret.
   * @param firstSeenMillis earliest event time that carried the link
   * @param lastSeenMillis latest event time that carried the link
   * @param accountsSharing other accounts linked to the identifier, at most accountsPerIdentifierMax
   * @param sharingCapped the identifier is saturated; accountsSharing reads as the cap
   * @param sharedWith ids of the other accounts linked to it, at most {@link #SHARED_WITH_MAX} of them
   *     (in the order they linked), so an analyst can follow the link; accountsSharing counts them all
   */
  public record Link(LinkKind kind, String fingerprint, long firstSeenMillis, long lastSeenMillis,
      int accountsSharing, boolean sharingCapped, List<String> sharedWith) {
    public Link {
      sharedWith = List.copyOf(sharedWith);
      assert sharedWith.size() <= SHARED_WITH_MAX;
      assert sharedWith.size() <= accountsSharing;
    }
  }

  /** Account ids listed per identifier: enough to follow, bounded whatever an identifier holds. */
  public static final int SHARED_WITH_MAX = 25;
}
