package io.vigil.server.journal;

import io.vigil.engine.journal.ChainVerifier;
import io.vigil.engine.journal.HashChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anchors the journal: signs the committed head with a key that is not in the database and
 * appends it to the {@link AnchorFile}, at start (after the chain checked out), every
 * {@code intervalMillis} while the head moves, and at shutdown. Checks the chain against the last
 * anchor when the pipeline rebuilds its state, and on a broken chain refuses to start or, when so
 * configured, lets Vigil start read-only (decisions refused, reads served).
 *
 * <p>Only committed heads are signed: the decision committer reports each head after its
 * transaction commits ({@link #committed}). Someone who can write to the database can still
 * rewrite the rows of the current interval before they are anchored: that interval is the window.
 */
public final class JournalAnchors implements JournalObserver, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalAnchors.class);

  /** What to do on a broken chain at start-up. */
  public enum OnBrokenChain { REFUSE, READ_ONLY }

  /** Thrown at start-up on a broken chain when Vigil refuses to start. */
  public static final class BrokenJournalException extends IllegalStateException {
    BrokenJournalException(String message) {
      super(message);
    }
  }

  private record Head(long sequence, String hash) {}

  private final AnchorKey key;
  private final AnchorKeyring keyring;
  private final AnchorFile file;
  private final long intervalMillis;
  private final OnBrokenChain onBrokenChain;
  private final Clock clock;
  private final long archivedThrough;
  private final ScheduledExecutorService timer;

  private volatile Head committed = new Head(0, HashChain.GENESIS);
  private volatile boolean readOnly;
  private volatile ChainVerifier.Finding brokenAt;
  private volatile boolean started;
  private long lastAnchoredSequence = -1;
  private boolean closed;

  public JournalAnchors(AnchorKey key, AnchorKeyring keyring, AnchorFile file, long intervalMillis, OnBrokenChain onBrokenChain,
      Clock clock) {
    this(key, keyring, file, intervalMillis, onBrokenChain, clock, 0);
  }

  /**
   * @param archivedThrough the last row of the archived months ({@code vigil.journal.archived-through}):
   *     the journal may start right after it (0: nothing archived)
   */
  public JournalAnchors(AnchorKey key, AnchorKeyring keyring, AnchorFile file, long intervalMillis, OnBrokenChain onBrokenChain,
      Clock clock, long archivedThrough) {
    if (intervalMillis <= 0) throw new IllegalArgumentException("the anchoring interval must be positive");
    this.key = key;
    this.keyring = keyring;
    this.file = file;
    this.intervalMillis = intervalMillis;
    this.onBrokenChain = onBrokenChain;
    this.clock = clock;
    this.archivedThrough = archivedThrough;
    if (keyring.record(key, clock.millis())) {
      log.info("anchor key {} recorded in the keyring {}", key.id(), keyring.file());
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-anchor");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The signing key: the key text (an environment secret) if given, else the key file if
   * configured (it must exist), else {@code defaultFile}, generated there on first start.
   */
  public static AnchorKey loadKey(String keyText, String keyFile, Path defaultFile) {
    if (!keyText.isBlank()) return AnchorKey.parse(keyText);
    if (!keyFile.isBlank()) {
      Path configured = Path.of(keyFile);
      if (!Files.exists(configured)) {
        throw new IllegalStateException("the anchor key file " + configured + " (vigil.journal.anchor.key-file) does not exist;"
            + " make one with ./vigil anchor-key --out " + configured);
      }
      warnIfShared(configured);
      return AnchorKey.read(configured);
    }
    if (Files.exists(defaultFile)) {
      log.warn("the journal's anchor key is {}, in the data directory: anyone who can read it can sign anchors. For tamper"
          + " evidence against the database host's administrators, keep the key elsewhere (docs/operations.md#anchoring)",
          defaultFile);
      warnIfShared(defaultFile);
      return AnchorKey.read(defaultFile);
    }
    AnchorKey generated = AnchorKey.generateInto(defaultFile);
    log.warn("GENERATED a new journal anchor key {} at {} (owner read/write only). It is in the data directory, next to the"
        + " database: for real tamper evidence move it off this host and set vigil.journal.anchor.key-file or"
        + " VIGIL_JOURNAL_ANCHOR_KEY (docs/operations.md#anchoring)", generated.id(), defaultFile);
    return generated;
  }

  /** A key file others can read is a key others may have copied. */
  private static void warnIfShared(Path keyFile) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
      if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        log.warn("the journal's anchor key file {} is accessible to its group or others ({}); make it owner-only (chmod 600)",
            keyFile, PosixFilePermissions.toString(permissions));
      }
    } catch (UnsupportedOperationException | IOException noPosixPermissions) {
      // a file system without POSIX permissions: nothing to check
    }
  }

  @Override
  public AnchoredChain rebuilding() {
    boolean[] given = {false};
    return new AnchoredChain(() -> {
      if (given[0]) return null;
      given[0] = true;
      Optional<Anchor> last = file.last(keyring);
      return last.orElse(null);
    }, archivedThrough);
  }

  @Override
  public AnchoredChain rebuildingFrom(long headSequence, String headHash) {
    boolean[] given = {false};
    return new AnchoredChain(() -> {
      if (given[0]) return null;
      given[0] = true;
      return file.last(keyring).orElse(null);
    }, headSequence, headHash);
  }

  @Override
  public void rebuilt(AnchoredChain chain) {
    ChainVerifier.Finding f = chain.finish();
    if (f != null) {
      broken(f);
      return;
    }
    AnchoredChain.Unanchored tail = chain.unanchored();
    if (tail != null) {
      log.warn("journal rows {} to {} are not anchored{}: written in the last interval before a crash, or added while Vigil"
          + " was stopped. Compare them with a backup if in doubt (docs/operations.md#anchoring)", tail.firstSequence(),
          tail.lastSequence(), tail.after() == null ? " (there is no anchor yet)" : " (the last anchor signed sequence "
          + tail.after().sequence() + ")");
    }
    committed = new Head(chain.headSequence(), chain.headHash());
    if (started) return;
    log.info("journal chain verified: {} rows, head sequence {}, last anchor {}", chain.rowsChecked(), chain.headSequence(),
        chain.lastAnchor() == null ? "none" : "sequence " + chain.lastAnchor().sequence() + " of " + file.path());
    started = true;
    anchorNow(Anchor.START);
    timer.scheduleWithFixedDelay(() -> anchorNow(Anchor.INTERVAL), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void broken(ChainVerifier.Finding f) {
    String what = "the decision journal is BROKEN: first " + f.kind() + " row at sequence " + f.sequence() + ": " + f.detail();
    String investigate = " Treat it as a security incident: copy the database as evidence, run ./vigil verify-journal, and"
        + " see docs/operations.md#verify-journal-reports-a-break.";
    if (!started && onBrokenChain == OnBrokenChain.REFUSE) {
      log.error("{}. Vigil refuses to start (vigil.journal.on-broken-chain=refuse).{} To serve reads meanwhile, start with"
          + " vigil.journal.on-broken-chain=read-only.", what, investigate);
      throw new BrokenJournalException(what);
    }
    log.error("{}. Vigil runs READ-ONLY: decisions are refused with 503 journal_broken, reads are served.{}", what, investigate);
    brokenAt = f;
    readOnly = true;
    started = true;
    timer.shutdownNow();
  }

  @Override
  public void committed(long sequence, String hash) {
    committed = new Head(sequence, hash);
  }

  /** True when a broken chain put Vigil in read-only mode: decisions are refused. */
  public boolean readOnly() {
    return readOnly;
  }

  /** The finding that made Vigil read-only, or null. */
  public ChainVerifier.Finding brokenAt() {
    return brokenAt;
  }

  public String keyId() {
    return key.id();
  }

  public long intervalMillis() {
    return intervalMillis;
  }

  /**
   * Signs and appends the committed head. An interval anchor is skipped when the head has not
   * moved since the last anchor; start and shutdown anchors are always written. Returns the
   * anchor written, or null. A failure to write is logged and leaves the window open until the next try.
   */
  public synchronized Anchor anchorNow(String reason) {
    if (!started || readOnly || closed) return null;
    Head head = committed;
    if (reason.equals(Anchor.INTERVAL) && head.sequence() == lastAnchoredSequence) return null;
    Anchor anchor = Anchor.signed(key, head.sequence(), head.hash(), clock.millis(), reason);
    try {
      file.append(anchor);
    } catch (RuntimeException e) {
      log.error("anchoring the journal head (sequence {}) to {} failed: {}; rows after the last anchor stay unanchored until"
          + " it succeeds", head.sequence(), file.path(), e.getMessage());
      return null;
    }
    lastAnchoredSequence = head.sequence();
    return anchor;
  }

  /** Stops the timer and signs the final head; call after the pipeline has committed its last batch. */
  @Override
  public void close() {
    timer.shutdownNow();
    anchorNow(Anchor.SHUTDOWN);
    synchronized (this) {
      closed = true;
    }
  }
}
