package io.vigil.server.journal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.Storage;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil verify-journal [--data-dir DIR] [--storage-url URL --storage-username U --storage-password P]
 * [--anchor-file FILE] [--anchor-keys FILE] [--anchor-signatures all|last] [--archived-through SEQUENCE]}: checks the chain, the
 * query columns and the chain against every signed head of the anchor file (every signature, or
 * only the last one's: it covers every row up to it, and is far faster on a long anchor file); prints the first broken row and exits 1, or prints
 * the row count, head hash and the anchors' coverage and exits 0 (2: cannot read). The embedded
 * store must not be open in a running server at the same time. {@code --archived-through} names the
 * last row of the archived months (docs/operations.md, "Keeping the journal for years"): the journal
 * may then start right after it.
 */
public final class VerifyJournalCommand {
  private VerifyJournalCommand() {}

  /** Outside Spring, logback would print every pool message on stdout, mixed with the result. */
  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
  }

  public static int run(String[] args) {
    quietLogs();
    String dataDir = "./data";
    String url = "";
    String user = "";
    String password = "";
    String anchorFile = "";
    String anchorKeys = "";
    String signatures = "all";
    String archivedThrough = "0";
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--data-dir" -> { dataDir = v; i++; }
        case "--storage-url" -> { url = v; i++; }
        case "--storage-username" -> { user = v; i++; }
        case "--storage-password" -> { password = v; i++; }
        case "--anchor-file" -> { anchorFile = v; i++; }
        case "--anchor-keys" -> { anchorKeys = v; i++; }
        case "--anchor-signatures" -> { signatures = v; i++; }
        case "--archived-through" -> { archivedThrough = v; i++; }
        default -> {
          System.err.println("unknown option " + a + "; usage: verify-journal [--data-dir DIR | --storage-url URL]"
              + " [--anchor-file FILE] [--anchor-keys FILE] [--anchor-signatures all|last] [--archived-through SEQUENCE]");
          return 2;
        }
      }
      if (v == null) {
        System.err.println(a + " needs a value");
        return 2;
      }
    }
    if (!signatures.equals("all") && !signatures.equals("last")) {
      System.err.println("--anchor-signatures is all or last");
      return 2;
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
    if (url.isEmpty()) url = Storage.embeddedUrl(dataDir) + ";IFEXISTS=TRUE";
    AnchorFile anchors = new AnchorFile(anchorFile.isEmpty() ? AnchorPaths.anchorFile(dataDir) : Path.of(anchorFile));
    Path keyringFile = anchorKeys.isEmpty() ? AnchorPaths.keyringFile(dataDir) : Path.of(anchorKeys);
    try (HikariDataSource ds = Storage.open(url, user, password, 2, "vigil-verify")) {
      AnchorKeyring keyring = AnchorKeyring.read(keyringFile);
      JournalVerifier.Result result;
      if (signatures.equals("last")) {
        try {
          anchors.last(keyring); // the one signature that covers every row up to it
        } catch (AnchorFile.BadAnchor bad) {
          System.out.println("journal BROKEN: first bad-anchor row at sequence " + Math.max(bad.claimedSequence(), 0) + ": "
              + bad.getMessage());
          return 1;
        }
      }
      try (AnchorFile.Reader reader = signatures.equals("all") ? anchors.open(keyring) : anchors.openUnsigned(keyring)) {
        result = JournalVerifier.verify(new JournalRepository(ds), reader::next, archived);
      }
      if (!result.intact()) {
        var f = result.finding();
        System.out.println("journal BROKEN: first " + f.kind() + " row at sequence " + f.sequence() + ": " + f.detail());
        return 1;
      }
      System.out.println("journal intact: " + result.rowsChecked() + " decisions, head hash " + result.headHash());
      printAnchors(result, anchors, keyring);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("cannot read the journal: " + e.getMessage());
      return 2;
    }
  }

  private static void printAnchors(JournalVerifier.Result result, AnchorFile anchors, AnchorKeyring keyring) {
    Anchor last = result.lastAnchor();
    if (last == null) {
      System.out.println("NOT ANCHORED: no anchors in " + anchors.path() + "; only the chain was checked, so rows cut off the"
          + " end, a re-chained journal or appended rows cannot be detected");
    } else {
      System.out.println("anchors: " + result.anchorsChecked() + " signed heads of " + anchors.path() + " match (keys "
          + String.join(", ", keyring.keys().keySet()) + "); the last signed sequence " + last.sequence() + " at "
          + Instant.ofEpochMilli(last.anchoredAtMillis()) + " (" + last.reason() + ")");
    }
    AnchoredChain.Unanchored tail = result.unanchored();
    if (tail != null && last != null) {
      System.out.println("unanchored: rows " + tail.firstSequence() + " to " + tail.lastSequence() + " come after the last"
          + " anchor; no signature covers them yet (the window: rows of the current anchoring interval, or of the last one"
          + " before a crash). First row affected if they were forged: " + tail.firstSequence());
    }
  }
}
