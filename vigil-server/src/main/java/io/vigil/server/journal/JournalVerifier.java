package io.vigil.server.journal;

import io.vigil.engine.journal.ChainVerifier;
import io.vigil.server.decision.DecisionJson;

/**
 * Checks the whole journal: the hash chain (altered, inserted or deleted rows) and that each row's
 * query columns still match its chained content.
 */
public final class JournalVerifier {
  private JournalVerifier() {}

  public record Result(long rowsChecked, ChainVerifier.Finding finding, String headHash) {
    public boolean intact() {
      return finding == null;
    }
  }

  public static Result verify(JournalRepository journal) {
    ChainVerifier chain = new ChainVerifier();
    ChainVerifier.Finding[] columns = {null};
    journal.forEachInOrder(row -> {
      if (chain.finding() != null || columns[0] != null) return;
      if (chain.accept(row.record()) != null) return;
      JournalRow derived;
      try {
        derived = DecisionJson.derive(row.record());
      } catch (io.vigil.engine.event.ValidationException refusedByThisBuild) {
        return; // chained content is intact; this build's parser is stricter than the one that stored it
      }
      if (!derived.equals(row)) {
        columns[0] = new ChainVerifier.Finding("altered", row.record().sequence(), "a query column does not match the chained content");
      }
    });
    ChainVerifier.Finding finding = chain.finding() != null ? chain.finding() : columns[0];
    return new Result(chain.rowsChecked(), finding, chain.headHash());
  }
}
