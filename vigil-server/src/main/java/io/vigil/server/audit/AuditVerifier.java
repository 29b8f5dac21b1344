package io.vigil.server.audit;

/**
 * Walks the audit trail in sequence order and reports the first break:
 *
 * <ul>
 *   <li><b>altered</b>: a row's stored hash differs from the hash of its stored columns;</li>
 *   <li><b>deleted</b>: a sequence number is missing (a gap before this row), or the trail ends before
 *       the head its writers last moved (rows cut off the end without moving the head);</li>
 *   <li><b>inserted</b>: a sequence repeats or goes back, or a row's previous hash is not the hash of
 *       the row before it.</li>
 * </ul>
 *
 * <p>A trail whose oldest rows were archived starts after them: given the archived head (the sequence
 * and hash of the last archived row, as the archive's own verification printed them) the first row
 * must be the one after it and chain to that hash, or, when nothing was moved out yet, row 1, and
 * the archived head's row must then have that hash. Without one, the first row must be row 1.
 */
public final class AuditVerifier {
  /** The first break found, or null. */
  public record Finding(String kind, long seq, String detail) {}

  /** What a verification found: rows checked, the first break (null when intact) and the head reached. */
  public record Result(long rowsChecked, Finding finding, long headSeq, String headHash) {
    public boolean intact() {
      return finding == null;
    }
  }

  private final long archivedSeq;
  private final String archivedHash;
  private long expectedSeq;
  private String prevHash;
  private long rows;
  private Finding finding;

  /** A trail that starts at row 1. */
  public AuditVerifier() {
    this(0, AuditHash.GENESIS);
  }

  /** A trail whose rows 1 to archivedSeq were archived; archivedHash is the last archived row's hash. */
  public AuditVerifier(long archivedSeq, String archivedHash) {
    if (archivedSeq < 0 || archivedHash == null || archivedHash.length() != 64) {
      throw new IllegalArgumentException("an archived head is a sequence of 0 or more and a 64-character hash");
    }
    this.archivedSeq = archivedSeq;
    this.archivedHash = archivedHash;
    this.expectedSeq = archivedSeq + 1;
    this.prevHash = archivedHash;
  }

  /** Takes the next row in sequence order; the first finding so far, or null. */
  public Finding accept(AuditRow r) {
    if (finding != null) return finding;
    rows++;
    if (rows == 1 && archivedSeq > 0 && r.seq() == 1) { // nothing archived yet: row archivedSeq must have the archived hash
      expectedSeq = 1;
      prevHash = AuditHash.GENESIS;
    }
    if (r.seq() > expectedSeq) {
      return finding = new Finding("deleted", expectedSeq, "rows " + expectedSeq + " to " + (r.seq() - 1) + " are missing");
    }
    if (r.seq() < expectedSeq) {
      return finding = new Finding("inserted", r.seq(), rows == 1 && r.seq() <= archivedSeq
          ? "row " + r.seq() + " is at or before the archived head " + archivedSeq
          : "sequence " + r.seq() + " appears again");
    }
    if (!r.prevHash().equals(prevHash)) {
      return finding = new Finding("inserted", r.seq(), rows == 1 && archivedSeq > 0
          ? "the first row does not chain to the archived head's hash"
          : "the row does not chain to the row before it (a row was inserted, or removed and the rest renumbered)");
    }
    if (!AuditHash.of(r).equals(r.hash())) {
      return finding = new Finding("altered", r.seq(), "the row's stored columns do not match its hash");
    }
    if (r.seq() == archivedSeq && !r.hash().equals(archivedHash)) {
      return finding = new Finding("altered", r.seq(), "the row's hash is not the archived head's hash");
    }
    prevHash = r.hash();
    expectedSeq++;
    return null;
  }

  /**
   * After the last row: the head its writers last moved ({@code audit_head}) must not be beyond it.
   * Rows cut off the end by someone who also moved that head back are found only against a head
   * kept outside the database (an archive's, or one noted from an earlier verification).
   */
  public Result finish(AuditRepository.Head writersHead) {
    if (finding == null && writersHead != null && writersHead.seq() > expectedSeq - 1) {
      finding = new Finding("deleted", expectedSeq, "rows " + expectedSeq + " to " + writersHead.seq()
          + " are missing from the end (the writers' head is at " + writersHead.seq() + ")");
    }
    return new Result(rows, finding, expectedSeq - 1, prevHash);
  }

  /** Verifies the whole stored trail. */
  public static Result verify(AuditRepository trail, long archivedSeq, String archivedHash) {
    AuditVerifier v = new AuditVerifier(archivedSeq, archivedHash);
    // The writers' head is read first: rows appended while the trail is read (a running server) lie beyond it.
    AuditRepository.Head writersHead = trail.writersHead();
    trail.forEachInOrder(row -> v.accept(row));
    return v.finish(writersHead);
  }
}
