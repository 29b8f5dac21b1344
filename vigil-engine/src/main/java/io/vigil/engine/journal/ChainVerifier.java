package io.vigil.engine.journal;

/**
 * Walks journal rows in sequence order and reports the first break. Feed rows with
 * {@link #accept}; it returns a finding at the first problem and ignores rows after it.
 *
 * <ul>
 *   <li><b>altered</b>: the row's stored hash differs from the hash of its content;</li>
 *   <li><b>deleted</b>: a sequence number is missing (a gap before this row);</li>
 *   <li><b>inserted</b>: the row's sequence repeats or goes back, or its previous-hash does not
 *       match the row before it.</li>
 * </ul>
 *
 * <p>A journal whose oldest rows were archived (moved out of the database) starts after them: given
 * {@code archivedThrough} = S, the first row may be row 1 (nothing archived yet) or row S + 1, whose
 * previous-hash is then taken as the link to the archive (the archive's last hash). Any other
 * first row is a deletion. Later signed anchors cover row S + 1's previous-hash through the chain.
 */
public final class ChainVerifier {
  /** The first break found, or null. */
  public record Finding(String kind, long sequence, String detail) {}

  private final long archivedThrough;
  private long expectedSequence = 1;
  private String previousHash = HashChain.GENESIS;
  private long rows;
  private Finding finding;

  /** A journal that starts at row 1. */
  public ChainVerifier() {
    this(0);
  }

  /** A journal whose rows 1 to {@code archivedThrough} may have been archived (0: none). */
  public ChainVerifier(long archivedThrough) {
    if (archivedThrough < 0) throw new IllegalArgumentException("archivedThrough must not be negative");
    this.archivedThrough = archivedThrough;
  }

  /**
   * Checks the rows after a known head: the next row must be {@code headSequence + 1} and chain
   * to {@code headHash} (a start from a checkpoint taken at that head).
   */
  public ChainVerifier(long headSequence, String headHash) {
    if (headSequence < 0 || headHash == null) throw new IllegalArgumentException("a head is a sequence ≥ 0 and its hash");
    this.archivedThrough = 0;
    this.expectedSequence = headSequence + 1;
    this.previousHash = headHash;
  }

  public Finding accept(JournalRecord r) {
    if (finding != null) return finding;
    rows++;
    if (rows == 1 && archivedThrough > 0 && r.sequence() == archivedThrough + 1) {
      expectedSequence = r.sequence(); // the rows before it are in the archive
      previousHash = r.previousHash();
    }
    if (r.sequence() > expectedSequence) {
      return finding = new Finding("deleted", expectedSequence,
          "rows " + expectedSequence + " to " + (r.sequence() - 1) + " are missing");
    }
    if (r.sequence() < expectedSequence) {
      return finding = new Finding("inserted", r.sequence(), "sequence " + r.sequence() + " appears again");
    }
    if (!r.previousHash().equals(previousHash)) {
      return finding = new Finding("inserted", r.sequence(),
          "the row does not chain to the row before it (a row was inserted, or removed and the rest renumbered)");
    }
    if (!HashChain.hashOf(r).equals(r.hash())) {
      return finding = new Finding("altered", r.sequence(), "the row's content does not match its hash");
    }
    previousHash = r.hash();
    expectedSequence++;
    return null;
  }

  public Finding finding() {
    return finding;
  }

  public long rowsChecked() {
    return rows;
  }

  public String headHash() {
    return previousHash;
  }
}
