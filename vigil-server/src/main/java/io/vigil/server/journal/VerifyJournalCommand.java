package io.vigil.server.journal;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.Storage;

/**
 * {@code vigil verify-journal [--data-dir DIR] [--storage-url URL --storage-username U --storage-password P]}:
 * prints the first altered, inserted or deleted row and exits 1, or prints the row count and head
 * hash and exits 0. The embedded store must not be open in a running server at the same time.
 */
public final class VerifyJournalCommand {
  private VerifyJournalCommand() {}

  /** Outside Spring, logback would print every pool message on stdout, mixed with the result. */
  private static void quietLogs() {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  public static int run(String[] args) {
    quietLogs();
    String dataDir = "./data";
    String url = "";
    String user = "";
    String password = "";
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--data-dir" -> { dataDir = v; i++; }
        case "--storage-url" -> { url = v; i++; }
        case "--storage-username" -> { user = v; i++; }
        case "--storage-password" -> { password = v; i++; }
        default -> {
          System.err.println("unknown option " + a + "; usage: verify-journal [--data-dir DIR | --storage-url URL]");
          return 2;
        }
      }
      if (v == null) {
        System.err.println(a + " needs a value");
        return 2;
      }
    }
    if (url.isEmpty()) url = Storage.embeddedUrl(dataDir) + ";IFEXISTS=TRUE";
    try (HikariDataSource ds = Storage.open(url, user, password, 2, "vigil-verify")) {
      JournalVerifier.Result result = JournalVerifier.verify(new JournalRepository(ds));
      if (result.intact()) {
        System.out.println("journal intact: " + result.rowsChecked() + " decisions, head hash " + result.headHash());
        return 0;
      }
      var f = result.finding();
      System.out.println("journal BROKEN: first " + f.kind() + " row at sequence " + f.sequence() + ": " + f.detail());
      return 1;
    } catch (RuntimeException e) {
      System.err.println("cannot read the journal: " + e.getMessage());
      return 2;
    }
  }
}
