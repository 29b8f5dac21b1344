package io.vigil.server.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.storage.Storage;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil verify-audit [--data-dir DIR] [--storage-url URL --storage-username U --storage-password P]
 * [--archived-through SEQ --archived-head-hash HASH]}: checks the audit trail's hash chain; prints
 * the first broken row and exits 1, or prints the row count and head (sequence and hash) and exits 0
 * (2: cannot read). No key is needed: the chain covers the stored, sealed values. After rows were
 * archived, the archived head (the last archived row's sequence and hash) lets the trail start after
 * it. The embedded store must not be open in a running server at the same time.
 */
public final class VerifyAuditCommand {
  private VerifyAuditCommand() {}

  public static int run(String[] args) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
    String dataDir = "./data";
    String url = "";
    String user = "";
    String password = "";
    String archivedThrough = "0";
    String archivedHash = AuditHash.GENESIS;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--data-dir" -> { dataDir = v; i++; }
        case "--storage-url" -> { url = v; i++; }
        case "--storage-username" -> { user = v; i++; }
        case "--storage-password" -> { password = v; i++; }
        case "--archived-through" -> { archivedThrough = v; i++; }
        case "--archived-head-hash" -> { archivedHash = v; i++; }
        default -> {
          System.err.println("unknown option " + a + "; usage: verify-audit [--data-dir DIR | --storage-url URL]"
              + " [--archived-through SEQ --archived-head-hash HASH]");
          return 2;
        }
      }
      if (v == null) {
        System.err.println(a + " needs a value");
        return 2;
      }
    }
    long archived;
    try {
      archived = Long.parseLong(archivedThrough);
    } catch (NumberFormatException e) {
      archived = -1;
    }
    if (archived < 0) {
      System.err.println("--archived-through is the sequence of the last archived row, 0 or more");
      return 2;
    }
    if (archivedHash == null || !archivedHash.matches("[0-9a-f]{64}") || (archived > 0 && archivedHash.equals(AuditHash.GENESIS))) {
      System.err.println("--archived-head-hash is the last archived row's hash (64 hex characters), given with --archived-through");
      return 2;
    }
    if (url.isEmpty()) url = Storage.embeddedUrl(dataDir) + ";IFEXISTS=TRUE";
    try (HikariDataSource ds = Storage.open(url, user, password, 2, "vigil-verify-audit")) {
      AuditVerifier.Result r = AuditVerifier.verify(new AuditRepository(ds, DurableCommit.OFF), archived, archivedHash);
      if (!r.intact()) {
        System.out.println("audit trail BROKEN: first " + r.finding().kind() + " row at sequence " + r.finding().seq() + ": "
            + r.finding().detail());
        return 1;
      }
      System.out.println("audit trail intact: " + r.rowsChecked() + " rows" + (archived > 0 ? " after the archived head " + archived : "")
          + ", head sequence " + r.headSeq() + " hash " + r.headHash());
      return 0;
    } catch (RuntimeException e) {
      System.err.println("cannot read the audit trail: " + e.getMessage());
      return 2;
    }
  }
}
