package io.vigil.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  static final int ROWS = 50;

  /** A chain of {@code n} well-formed rows with seeded random content. */
  static List<JournalRecord> chain(int n, long seed) {
    Random r = new Random(seed);
    List<JournalRecord> rows = new ArrayList<>();
    String previous = HashChain.GENESIS;
    for (long seq = 1; seq <= n; seq++) {
      JournalRecord row = sealed(seq, "dec_" + Long.toHexString(r.nextLong()), "evt_" + seq, 1_795_000_000_000L + seq * 1_000 + r.nextInt(1_000),
          1 + r.nextInt(3), hex(r), "{\"event_id\":\"evt_" + seq + "\",\"amount\":" + r.nextInt(100_000) + "}",
          "{\"action\":\"" + (r.nextBoolean() ? "allow" : "deny") + "\"}", previous);
      rows.add(row);
      previous = row.hash();
    }
    return rows;
  }

  static String hex(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A row whose hash matches its content: what a forger who knows the scheme would write. */
  static JournalRecord sealed(long seq, String decisionId, String eventId, long recordedAt, long policyVersion,
      String requestHash, String eventJson, String responseJson, String previousHash) {
    String hash = HashChain.hash(previousHash, seq, decisionId, eventId, recordedAt, policyVersion, requestHash, eventJson, responseJson);
    return new JournalRecord(seq, decisionId, eventId, recordedAt, policyVersion, requestHash, eventJson, responseJson, previousHash, hash);
  }

  static JournalRecord reseal(JournalRecord r) {
    return sealed(r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(),
        r.eventJson(), r.responseJson(), r.previousHash());
  }

  static ChainVerifier.Finding verify(List<JournalRecord> rows) {
    ChainVerifier v = new ChainVerifier();
    for (JournalRecord r : rows) v.accept(r);
    return v.finding();
  }

  static JournalRecord copy(JournalRecord r, long seq, String decisionId, String eventId, long recordedAt, long policyVersion,
      String requestHash, String eventJson, String responseJson, String previousHash, String hash) {
    return new JournalRecord(seq, decisionId, eventId, recordedAt, policyVersion, requestHash, eventJson, responseJson, previousHash, hash);
  }

  /** Every way to change one stored field of a row, except its links (sequence, previous hash). */
  static List<UnaryOperator<JournalRecord>> contentChanges() {
    return List.of(
        r -> copy(r, r.sequence(), r.decisionId() + "x", r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId() + "x", r.recordedAtMillis(), r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis() + 1, r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion() + 1, r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash().replace('a', 'b') + "0", r.eventJson(), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(), r.eventJson().replace("amount\":", "amount\":9"), r.responseJson(), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson().contains("allow") ? r.responseJson().replace("allow", "deny") : r.responseJson().replace("deny", "allow"), r.previousHash(), r.hash()),
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(), null, r.responseJson(), r.previousHash(), r.hash()),
        // The stored hash itself.
        r -> copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), HashChain.GENESIS));
  }

  // ---- intact ------------------------------------------------------------------------------------

  @Test
  void anIntactChainHasNoFinding() {
    List<JournalRecord> rows = chain(ROWS, 1);
    ChainVerifier v = new ChainVerifier();
    for (JournalRecord r : rows) assertThat(v.accept(r)).isNull();
    assertThat(v.finding()).isNull();
    assertThat(v.rowsChecked()).isEqualTo(ROWS);
    assertThat(v.headHash()).isEqualTo(rows.get(ROWS - 1).hash()).hasSize(64);
    assertThat(rows.get(0).previousHash()).isEqualTo(HashChain.GENESIS);
  }

  @Test
  void anEmptyChainHasNoFindingAndTheGenesisHead() {
    ChainVerifier v = new ChainVerifier();
    assertThat(v.finding()).isNull();
    assertThat(v.headHash()).isEqualTo(HashChain.GENESIS);
    assertThat(v.rowsChecked()).isZero();
  }

  // ---- altered -----------------------------------------------------------------------------------

  @Test
  void changingAnyFieldOfAnyRowIsReportedAsAlteredAtThatRow() {
    List<JournalRecord> rows = chain(ROWS, 2);
    List<UnaryOperator<JournalRecord>> changes = contentChanges();
    for (int k = 1; k <= ROWS; k++) {
      for (int c = 0; c < changes.size(); c++) {
        List<JournalRecord> tampered = new ArrayList<>(rows);
        JournalRecord changed = changes.get(c).apply(rows.get(k - 1));
        assertThat(changed).as("change %d must change the row", c).isNotEqualTo(rows.get(k - 1));
        tampered.set(k - 1, changed);
        ChainVerifier.Finding f = verify(tampered);
        assertThat(f).as("row %d, change %d", k, c).isNotNull();
        assertThat(f.kind()).as("row %d, change %d", k, c).isEqualTo("altered");
        assertThat(f.sequence()).isEqualTo(k);
      }
    }
  }

  @Test
  void aChangedRowWhoseHashIsRecomputedBreaksTheLinkOfTheNextRow() {
    List<JournalRecord> rows = chain(ROWS, 3);
    for (int k = 1; k < ROWS; k++) {
      List<JournalRecord> tampered = new ArrayList<>(rows);
      tampered.set(k - 1, reseal(contentChanges().get(6).apply(rows.get(k - 1))));
      ChainVerifier.Finding f = verify(tampered);
      assertThat(f).isNotNull();
      assertThat(f.kind()).isEqualTo("inserted"); // the next row no longer chains to the one before it
      assertThat(f.sequence()).isEqualTo(k + 1);
    }
  }

  @Test
  void rewritingTheWholeTailIsCaughtOnlyByTheAnchoredHeadHash() {
    List<JournalRecord> rows = chain(ROWS, 4);
    String anchoredHead = rows.get(ROWS - 1).hash();
    List<JournalRecord> forged = new ArrayList<>(rows.subList(0, 9));
    String previous = forged.get(8).hash();
    for (int i = 9; i < ROWS; i++) {
      JournalRecord r = rows.get(i);
      JournalRecord f = reseal(copy(r, r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(),
          r.requestHash(), i == 9 ? r.eventJson() + " " : r.eventJson(), r.responseJson(), previous, null));
      forged.add(f);
      previous = f.hash();
    }
    ChainVerifier v = new ChainVerifier();
    forged.forEach(v::accept);
    assertThat(v.finding()).isNull(); // self-consistent…
    assertThat(v.headHash()).isNotEqualTo(anchoredHead); // …but not the head that was anchored outside
  }

  // ---- deleted -----------------------------------------------------------------------------------

  @Test
  void removingAnyRowIsReportedAsDeletedAtItsSequence() {
    List<JournalRecord> rows = chain(ROWS, 5);
    for (int k = 1; k < ROWS; k++) { // removing the last row leaves a shorter valid chain: the anchor catches that
      List<JournalRecord> tampered = new ArrayList<>(rows);
      tampered.remove(k - 1);
      ChainVerifier.Finding f = verify(tampered);
      assertThat(f).as("row %d", k).isNotNull();
      assertThat(f.kind()).isEqualTo("deleted");
      assertThat(f.sequence()).isEqualTo(k);
    }
  }

  @Test
  void removingSeveralRowsNamesTheGap() {
    List<JournalRecord> rows = chain(ROWS, 6);
    List<JournalRecord> tampered = new ArrayList<>(rows);
    tampered.subList(19, 23).clear(); // sequences 20..23
    ChainVerifier.Finding f = verify(tampered);
    assertThat(f.kind()).isEqualTo("deleted");
    assertThat(f.sequence()).isEqualTo(20);
    assertThat(f.detail()).contains("20").contains("23");
  }

  @Test
  void removingARowAndRenumberingTheRestBreaksTheChain() {
    List<JournalRecord> rows = chain(ROWS, 7);
    List<JournalRecord> tampered = new ArrayList<>(rows.subList(0, 29));
    for (int i = 30; i < ROWS; i++) {
      JournalRecord r = rows.get(i);
      tampered.add(copy(r, r.sequence() - 1, r.decisionId(), r.eventId(), r.recordedAtMillis(), r.policyVersion(),
          r.requestHash(), r.eventJson(), r.responseJson(), r.previousHash(), r.hash()));
    }
    ChainVerifier.Finding f = verify(tampered);
    assertThat(f).isNotNull();
    assertThat(f.sequence()).isEqualTo(30);
    assertThat(f.kind()).isIn("inserted", "altered");
  }

  // ---- inserted ----------------------------------------------------------------------------------

  @Test
  void aForgedRowThatChainsToItsPredecessorIsReportedAsInserted() {
    List<JournalRecord> rows = chain(ROWS, 8);
    Random r = new Random(8);
    for (int k = 1; k <= ROWS; k++) {
      // The forger takes the next sequence and the previous row's hash and seals the row correctly.
      String previous = k == 1 ? HashChain.GENESIS : rows.get(k - 2).hash();
      JournalRecord forged = sealed(k, "dec_forged", "evt_forged", 1_795_000_000_000L, 1, hex(r), "{}", "{\"action\":\"allow\"}", previous);
      assertThat(HashChain.hashOf(forged)).isEqualTo(forged.hash());
      List<JournalRecord> tampered = new ArrayList<>(rows);
      tampered.add(k - 1, forged);
      ChainVerifier.Finding f = verify(tampered);
      assertThat(f).as("forged row before %d", k).isNotNull();
      assertThat(f.kind()).isEqualTo("inserted");
      assertThat(f.sequence()).isEqualTo(k);
    }
  }

  @Test
  void aForgedRowThatDoesNotChainIsReportedAsInserted() {
    List<JournalRecord> rows = chain(ROWS, 9);
    Random r = new Random(9);
    for (int k = 1; k <= ROWS; k++) {
      JournalRecord forged = sealed(k, "dec_forged", "evt_forged", 1_795_000_000_000L, 1, hex(r), "{}", "{}", hex(r));
      List<JournalRecord> tampered = new ArrayList<>(rows);
      tampered.add(k - 1, forged);
      ChainVerifier.Finding f = verify(tampered);
      assertThat(f.kind()).isEqualTo("inserted");
      assertThat(f.sequence()).isEqualTo(k);
    }
  }

  @Test
  void aDuplicatedRowIsReportedAsInserted() {
    List<JournalRecord> rows = chain(ROWS, 10);
    for (int k = 1; k <= ROWS; k++) {
      List<JournalRecord> tampered = new ArrayList<>(rows);
      tampered.add(k, rows.get(k - 1)); // row k twice in a row
      ChainVerifier.Finding f = verify(tampered);
      assertThat(f).as("row %d twice", k).isNotNull();
      assertThat(f.kind()).isEqualTo("inserted");
      assertThat(f.sequence()).isEqualTo(k);
      assertThat(f.detail()).contains(Long.toString(k));
    }
  }

  @Test
  void swappingTwoRowsIsDetected() {
    List<JournalRecord> rows = chain(ROWS, 11);
    List<JournalRecord> tampered = new ArrayList<>(rows);
    tampered.set(14, rows.get(15));
    tampered.set(15, rows.get(14));
    ChainVerifier.Finding f = verify(tampered);
    assertThat(f.kind()).isEqualTo("deleted"); // 16 arrives where 15 was expected
    assertThat(f.sequence()).isEqualTo(15);
  }

  // ---- the verifier and the hash -------------------------------------------------------------------

  @Test
  void theFirstFindingIsKeptAndLaterRowsAreIgnored() {
    List<JournalRecord> rows = chain(ROWS, 12);
    List<JournalRecord> tampered = new ArrayList<>(rows);
    tampered.set(9, contentChanges().get(0).apply(rows.get(9)));
    tampered.remove(30);
    ChainVerifier v = new ChainVerifier();
    ChainVerifier.Finding first = null;
    for (JournalRecord r : tampered) {
      ChainVerifier.Finding f = v.accept(r);
      if (first == null) first = f;
      else assertThat(f).isSameAs(first);
    }
    assertThat(first.kind()).isEqualTo("altered");
    assertThat(first.sequence()).isEqualTo(10);
    assertThat(v.rowsChecked()).isEqualTo(10);
    assertThat(v.headHash()).isEqualTo(rows.get(8).hash()); // the last row that verified
  }

  @Test
  void fieldsAreLengthPrefixedSoShiftingCharactersBetweenFieldsChangesTheHash() {
    String p = HashChain.GENESIS;
    String a = HashChain.hash(p, 1, "ab", "c", 5, 1, "h", "{}", "{}");
    String b = HashChain.hash(p, 1, "a", "bc", 5, 1, "h", "{}", "{}");
    String nullField = HashChain.hash(p, 1, "a", "bc", 5, 1, "h", null, "{}");
    String emptyField = HashChain.hash(p, 1, "a", "bc", 5, 1, "h", "", "{}");
    assertThat(a).isNotEqualTo(b);
    assertThat(nullField).isNotEqualTo(emptyField);
    assertThat(HashChain.hash(p, 12, "x", "y", 3, 1, "h", "{}", "{}")).isNotEqualTo(HashChain.hash(p, 1, "x", "y", 23, 1, "h", "{}", "{}"));
    assertThat(a).isEqualTo(HashChain.hash(p, 1, "ab", "c", 5, 1, "h", "{}", "{}")).matches("[0-9a-f]{64}");
  }

  @Test
  void aJournalMayStartRightAfterItsArchivedRowsAndNowhereElse() {
    List<JournalRecord> rows = chain(ROWS, 7);
    ChainVerifier whole = new ChainVerifier(20);
    rows.forEach(whole::accept);
    assertThat(whole.finding()).as("nothing archived yet").isNull();

    ChainVerifier afterArchive = new ChainVerifier(20);
    rows.subList(20, ROWS).forEach(afterArchive::accept);
    assertThat(afterArchive.finding()).isNull();
    assertThat(afterArchive.rowsChecked()).isEqualTo(ROWS - 20);
    assertThat(afterArchive.headHash()).isEqualTo(rows.get(ROWS - 1).hash());

    ChainVerifier moreCut = new ChainVerifier(20);
    rows.subList(25, ROWS).forEach(moreCut::accept);
    assertThat(moreCut.finding()).isEqualTo(new ChainVerifier.Finding("deleted", 1, "rows 1 to 25 are missing"));

    ChainVerifier notDeclared = new ChainVerifier();
    rows.subList(20, ROWS).forEach(notDeclared::accept);
    assertThat(notDeclared.finding().kind()).isEqualTo("deleted");

    List<JournalRecord> changedAfter = new ArrayList<>(rows.subList(20, ROWS));
    changedAfter.set(3, copy(changedAfter.get(3), changedAfter.get(3).sequence(), "dec_x", changedAfter.get(3).eventId(),
        changedAfter.get(3).recordedAtMillis(), changedAfter.get(3).policyVersion(), changedAfter.get(3).requestHash(),
        changedAfter.get(3).eventJson(), changedAfter.get(3).responseJson(), changedAfter.get(3).previousHash(),
        changedAfter.get(3).hash()));
    ChainVerifier altered = new ChainVerifier(20);
    changedAfter.forEach(altered::accept);
    assertThat(altered.finding()).isEqualTo(new ChainVerifier.Finding("altered", 24, "the row's content does not match its hash"));
  }
}
