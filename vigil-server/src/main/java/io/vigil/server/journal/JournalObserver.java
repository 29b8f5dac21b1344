package io.vigil.server.journal;

import io.vigil.engine.journal.JournalRecord;

/**
 * What the decision pipeline tells about the journal: each rebuild's rows (to check the chain
 * while they are read anyway) and each committed head. {@link JournalAnchors} is the real one.
 */
public interface JournalObserver {
  /** A rebuild starts: the check that every row read, in order, goes to. */
  AnchoredChain rebuilding();

  /**
   * A rebuild from a checkpoint starts: the check that the rows after the checkpoint's head go to.
   * The default checks the chain from that head and knows no anchors.
   */
  default AnchoredChain rebuildingFrom(long headSequence, String headHash) {
    return new AnchoredChain(() -> null, headSequence, headHash);
  }

  /** The rebuild read every row into {@code chain}. May throw to refuse to start. */
  void rebuilt(AnchoredChain chain);

  /** Rows up to {@code sequence} are committed; {@code hash} is that row's hash. */
  void committed(long sequence, String hash);

  /** Checks the chain and ignores the outcome: for tests and tools that anchor nothing. */
  JournalObserver NONE = new JournalObserver() {
    @Override
    public AnchoredChain rebuilding() {
      return new AnchoredChain(() -> null);
    }

    @Override
    public void rebuilt(AnchoredChain chain) {}

    @Override
    public void committed(long sequence, String hash) {}
  };
}
