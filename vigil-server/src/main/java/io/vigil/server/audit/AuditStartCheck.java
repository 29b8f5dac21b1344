package io.vigil.server.audit;

import io.vigil.server.logging.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the whole audit chain once after start-up, on a thread of its own so the server answers
 * meanwhile (it reads every row once: about a second per few hundred thousand rows), and logs the
 * outcome: the head reached, or the first broken row at ERROR.
 */
public final class AuditStartCheck {
  private static final Logger log = LoggerFactory.getLogger(AuditStartCheck.class);

  private final AuditRepository trail;
  private final long archivedThrough;
  private final String archivedHeadHash;
  private volatile AuditVerifier.Result result;

  public AuditStartCheck(AuditRepository trail, long archivedThrough, String archivedHeadHash) {
    this.trail = trail;
    this.archivedThrough = archivedThrough;
    this.archivedHeadHash = archivedHeadHash;
  }

  /** Starts the check in the background. */
  public AuditStartCheck start() {
    Thread t = new Thread(this::run, "vigil-audit-verify");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return this;
  }

  void run() {
    try {
      AuditVerifier.Result r = AuditVerifier.verify(trail, archivedThrough, archivedHeadHash);
      result = r;
      if (r.intact()) {
        log.info("audit trail intact: {} rows, head {} hash {}", r.rowsChecked(), r.headSeq(), r.headHash());
      } else {
        log.error("audit trail BROKEN: first {} row at sequence {}: {}", r.finding().kind(), r.finding().seq(), r.finding().detail());
      }
    } catch (RuntimeException e) {
      log.warn("audit trail: the start-up verification could not read the trail", RedactedFailure.of(e));
    }
  }

  /** The outcome, or null while it runs (or when it could not read). */
  public AuditVerifier.Result result() {
    return result;
  }
}
