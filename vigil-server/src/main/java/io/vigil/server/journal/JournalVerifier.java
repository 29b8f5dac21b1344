package io.vigil.server.journal;

import io.vigil.engine.event.ValidationException;
import io.vigil.engine.journal.ChainVerifier;
import io.vigil.server.decision.DecisionJson;
import java.util.function.Supplier;

/**
 * Checks the whole journal: the hash chain (altered, inserted or deleted rows), that each row's
 * query columns still match its chained content, and, given the anchor file, the chain against
 * every signed head ({@link AnchoredChain}: rewritten, truncated, appended, bad anchors).
 */
public final class JournalVerifier {
  private JournalVerifier() {}

  /** {@code unanchored} is the tail no anchor covers (null when none); {@code anchorsChecked} the anchors compared. */
  public record Result(long rowsChecked, ChainVerifier.Finding finding, String headHash, long headSequence, long anchorsChecked,
      Anchor lastAnchor, AnchoredChain.Unanchored unanchored) {
    public boolean intact() {
      return finding == null;
    }
  }

  /** The chain and the query columns only. */
  public static Result verify(JournalRepository journal) {
    return verify(journal, () -> null);
  }

  /** The chain, the query columns, and the anchors {@code anchors} yields in file order (then null). */
  public static Result verify(JournalRepository journal, Supplier<Anchor> anchors) {
    return verify(journal, anchors, 0);
  }

  /**
   * As {@link #verify(JournalRepository, Supplier)}, for a journal whose rows 1 to
   * {@code archivedThrough} may have been archived: it may start at row 1 or right after them.
   */
  public static Result verify(JournalRepository journal, Supplier<Anchor> anchors, long archivedThrough) {
    AnchoredChain chain = new AnchoredChain(anchors, archivedThrough);
    ChainVerifier.Finding[] columns = {null};
    journal.forEachInOrder(row -> {
      if (chain.finding() != null || columns[0] != null) return;
      if (chain.accept(row.record()) != null) return;
      JournalRow derived;
      try {
        derived = DecisionJson.derive(row.record());
      } catch (ValidationException refusedByThisBuild) {
        return; // chained content is intact; this build's parser is stricter than the one that stored it
      }
      if (!derived.equals(row)) {
        columns[0] = new ChainVerifier.Finding("altered", row.record().sequence(), "a query column does not match the chained content");
      }
    });
    ChainVerifier.Finding finding = columns[0] != null ? columns[0] : chain.finish();
    return new Result(chain.rowsChecked(), finding, chain.headHash(), chain.headSequence(), chain.anchorsChecked(),
        chain.lastAnchor(), chain.unanchored());
  }
}
