package io.vigil.server.audit;

/**
 * Seals the source address of an audit row (personal data) so that only the key holder reads it.
 * The row's sequence is bound in as associated data: a sealed address moved to another row does not
 * open. The stored text is what the chain hashes.
 */
public interface AddressSeal {
  /** The stored text for the address of row seq (never null for a non-null address). */
  String seal(String address, long seq);

  /** The address of row seq, or null when the text does not open under the key. */
  String open(String stored, long seq);
}
