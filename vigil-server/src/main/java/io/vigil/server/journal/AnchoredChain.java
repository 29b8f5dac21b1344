package io.vigil.server.journal;

import io.vigil.engine.journal.ChainVerifier;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Checks the hash chain against the signed heads, in one pass: journal rows in sequence order and
 * anchors in file order (also in sequence order) are merged, so memory does not grow with either.
 * Besides the chain's own findings ({@link ChainVerifier}: altered, deleted, inserted) it reports:
 *
 * <ul>
 *   <li><b>rewritten</b>: an anchored row's hash differs from the signed one. Someone changed a row
 *       and recomputed every later hash; the change is at or after the first row after the last
 *       anchor that matched, which is the sequence reported;</li>
 *   <li><b>truncated</b>: an anchor signed a sequence beyond the journal's last row (rows were cut
 *       off the end); reported at the first missing sequence;</li>
 *   <li><b>appended</b>: rows follow the anchor of a clean shutdown (Vigil writes no row between its
 *       shutdown anchor and its next start anchor); reported at the first such row;</li>
 *   <li><b>bad-anchor</b>: an anchor line that does not verify (changed, forged, unknown key, out of
 *       order).</li>
 * </ul>
 *
 * Rows after the last anchor are otherwise not a finding: they are the window (at most one
 * anchoring interval of decisions, or a crash's), reported by {@link #unanchored()}.
 */
public final class AnchoredChain {
  /** Rows from {@code firstSequence} to {@code lastSequence} that no anchor covers; {@code after} is the last anchor, or null. */
  public record Unanchored(long firstSequence, long lastSequence, Anchor after) {}

  private final ChainVerifier chain;
  private final Supplier<Anchor> anchors;
  private Anchor next;
  private Anchor lastRead;
  private long anchorsChecked;
  private long lastMatchedSequence;
  private long headSequence;
  private long firstSequence;
  private String headHash = HashChain.GENESIS;
  private ChainVerifier.Finding finding;
  private Unanchored unanchored;
  private boolean finished;

  /** {@code anchors} yields anchors in file order, then null; it may throw {@link AnchorFile.BadAnchor}. */
  public AnchoredChain(Supplier<Anchor> anchors) {
    this(anchors, 0);
  }

  /**
   * A journal whose rows 1 to {@code archivedThrough} may have been archived ({@link ChainVerifier}):
   * anchors of archived rows are passed over, the ones after them are checked as usual.
   */
  public AnchoredChain(Supplier<Anchor> anchors, long archivedThrough) {
    this.chain = new ChainVerifier(archivedThrough);
    this.anchors = anchors;
    pull();
    matchAnchorsUpTo(0, HashChain.GENESIS);
  }

  /**
   * Checks the rows after a known head (sequence and hash): a start from a checkpoint taken there.
   * The rows up to the head are not read again; an anchor of an earlier sequence is passed over
   * unchecked, and an anchor of exactly the head must have signed its hash. That the journal still
   * holds the head's hash is the caller's check (the checkpoint's manifest against the row).
   */
  public AnchoredChain(Supplier<Anchor> anchors, long headSequence, String headHash) {
    this.anchors = anchors;
    this.chain = headSequence == 0 ? new ChainVerifier() : new ChainVerifier(headSequence, headHash);
    this.headSequence = headSequence;
    this.headHash = headHash;
    this.lastMatchedSequence = headSequence;
    pull();
    while (finding == null && next != null && next.sequence() < headSequence) pull(); // before the head: not re-read
    matchAnchorsUpTo(headSequence, headHash);
  }

  /** Takes the next row in sequence order; returns the first finding so far, or null. */
  public ChainVerifier.Finding accept(JournalRecord r) {
    if (finding != null) return finding;
    ChainVerifier.Finding broken = chain.accept(r);
    if (broken != null) return finding = broken;
    if (firstSequence == 0) firstSequence = r.sequence();
    headSequence = r.sequence();
    headHash = r.hash();
    matchAnchorsUpTo(r.sequence(), r.hash());
    return finding;
  }

  /** After the last row: the truncation and shutdown checks, and the unanchored tail. Returns the finding, or null. */
  public ChainVerifier.Finding finish() {
    if (finished) return finding;
    finished = true;
    if (finding != null) return finding;
    Anchor beyond = null;
    while (finding == null && next != null) {
      beyond = next; // anchors of sequences past the head
      pull();
    }
    if (finding != null) return finding;
    if (beyond != null) {
      return finding = new ChainVerifier.Finding("truncated", headSequence + 1, "rows " + (headSequence + 1) + " to "
          + beyond.sequence() + " are missing from the end: the anchor of " + when(beyond) + " signed sequence "
          + beyond.sequence() + " with hash " + beyond.hash());
    }
    if (headSequence > (lastRead == null ? 0 : lastRead.sequence())) {
      long first = Math.max(firstSequence, lastRead == null ? 1 : lastRead.sequence() + 1);
      if (lastRead != null && lastRead.reason().equals(Anchor.SHUTDOWN)) {
        return finding = new ChainVerifier.Finding("appended", first, "rows " + first + " to " + headSequence
            + " follow the anchor of a clean shutdown at " + when(lastRead) + ": they were written while Vigil was stopped");
      }
      unanchored = new Unanchored(first, headSequence, lastRead);
    }
    return null;
  }

  private void matchAnchorsUpTo(long sequence, String hash) {
    while (finding == null && next != null && next.sequence() <= sequence) {
      if (next.sequence() == sequence && !next.hash().equals(hash)) {
        long firstSuspect = lastMatchedSequence + 1;
        finding = new ChainVerifier.Finding("rewritten", firstSuspect, "row " + sequence + " has hash " + hash
            + " but the anchor of " + when(next) + " (key " + next.keyId() + ") signed " + next.hash() + ": a row from "
            + firstSuspect + " to " + sequence + " was changed and the hashes after it recomputed");
        return;
      }
      lastMatchedSequence = next.sequence();
      pull();
    }
  }

  private void pull() {
    try {
      next = anchors.get();
    } catch (AnchorFile.BadAnchor bad) {
      next = null;
      finding = new ChainVerifier.Finding("bad-anchor", Math.max(bad.claimedSequence(), 0), bad.getMessage());
      return;
    }
    if (next != null) {
      lastRead = next;
      anchorsChecked++;
    }
  }

  private static String when(Anchor a) {
    return Instant.ofEpochMilli(a.anchoredAtMillis()).toString();
  }

  public ChainVerifier.Finding finding() {
    return finding;
  }

  /** The rows after the last anchor (the window), or null when the last anchor covers the head. Valid after {@link #finish}. */
  public Unanchored unanchored() {
    return unanchored;
  }

  public long rowsChecked() {
    return chain.rowsChecked();
  }

  public long anchorsChecked() {
    return anchorsChecked;
  }

  /** The last anchor read, or null. */
  public Anchor lastAnchor() {
    return lastRead;
  }

  public long headSequence() {
    return headSequence;
  }

  public String headHash() {
    return headHash;
  }
}
