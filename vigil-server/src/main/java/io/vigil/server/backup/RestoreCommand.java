package io.vigil.server.backup;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.journal.AnchorFile;
import io.vigil.server.journal.AnchorKeyring;
import io.vigil.server.journal.AnchorPaths;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalVerifier;
import io.vigil.server.storage.Storage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * {@code vigil restore --from FILE [--data-dir DIR]}: puts a {@link BackupArchive} back as the
 * embedded store of DIR.
 *
 * <ol>
 *   <li>Verifies the backup: every entry against the manifest's size and SHA-256.
 *   <li>Refuses while a server has DIR's database open (H2 holds a lock on the file).
 *   <li>Extracts into a staging directory inside DIR and checks the journal there: the hash chain
 *       and every signed head of the backed-up anchor file. A broken journal restores nothing.
 *   <li>Moves what DIR held (database, models, anchor files, and the derived checkpoints and state,
 *       which would not match the restored journal) aside into {@code DIR/replaced-<time>/}: nothing
 *       is deleted. Then moves the staged files into place.
 * </ol>
 * Exit status: 0 restored; 1 refused (the backup is bad, a server is running, the journal is
 * broken); 2 a usage error or a file that cannot be read or written.
 */
public final class RestoreCommand {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** What DIR holds that a restore replaces; the derived directories are moved aside and rebuilt. */
  private static final List<String> REPLACED = List.of(BackupArchive.DATABASE, "vigil.trace.db", "models", "anchor",
      "checkpoints", "state");

  private RestoreCommand() {}

  public static int run(String[] args) {
    quietLogs();
    String from = null;
    String dataDir = "./data";
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--from" -> { from = v; i++; }
        case "--data-dir" -> { dataDir = v; i++; }
        default -> {
          System.err.println("unknown option " + a + "; usage: restore --from FILE [--data-dir DIR]");
          return 2;
        }
      }
      if (v == null) {
        System.err.println(a + " needs a value");
        return 2;
      }
    }
    if (from == null) {
      System.err.println("usage: restore --from FILE [--data-dir DIR]");
      return 2;
    }
    try {
      return restore(Path.of(from), Path.of(dataDir).toAbsolutePath().normalize());
    } catch (IOException | RuntimeException e) {
      System.err.println("restore failed: " + e.getMessage());
      return 2;
    }
  }

  private static int restore(Path backup, Path dir) throws IOException {
    BackupArchive.Manifest manifest;
    try {
      manifest = BackupArchive.verify(backup);
    } catch (BackupArchive.Invalid invalid) {
      System.out.println("backup REFUSED: " + invalid.getMessage());
      return 1;
    }
    System.out.println("backup verified: " + manifest.entries().size() + " files of " + backup + ", made at "
        + Instant.ofEpochMilli(manifest.createdAtMillis()));
    Files.createDirectories(dir);
    if (inUse(dir.resolve(BackupArchive.DATABASE))) {
      System.out.println("restore REFUSED: a running server has " + dir + " open; stop it first");
      return 1;
    }
    Path staging = dir.resolve(".restore-staging");
    deleteTree(staging); // what an interrupted restore left
    try {
      BackupArchive.extract(backup, manifest, staging);
      JournalVerifier.Result journal = verifyJournal(staging);
      if (!journal.intact()) {
        var f = journal.finding();
        System.out.println("restore REFUSED: the backed-up journal is broken: first " + f.kind() + " row at sequence "
            + f.sequence() + ": " + f.detail());
        return 1;
      }
      System.out.println("journal intact: " + journal.rowsChecked() + " decisions, head hash " + journal.headHash()
          + (journal.lastAnchor() == null ? " (no anchors in the backup)"
              : ", " + journal.anchorsChecked() + " signed heads match"));
      Path aside = dir.resolve("replaced-" + STAMP.format(Instant.now()));
      for (String name : REPLACED) {
        Path current = dir.resolve(name);
        if (!Files.exists(current)) continue;
        Files.createDirectories(aside);
        Files.move(current, aside.resolve(name));
      }
      if (Files.exists(aside)) System.out.println("the data it replaces is kept in " + aside);
      try (Stream<Path> top = Files.list(staging)) {
        for (Path p : top.toList()) Files.move(p, dir.resolve(p.getFileName()));
      }
      forceDirectory(dir);
      System.out.println("restored into " + dir + "; start Vigil on it");
      return 0;
    } finally {
      deleteTree(staging);
    }
  }

  /** The journal of the extracted store, checked against the extracted anchor file and keys. */
  private static JournalVerifier.Result verifyJournal(Path staging) {
    String url = Storage.embeddedUrl(staging.toString()) + ";IFEXISTS=TRUE";
    AnchorFile anchors = new AnchorFile(AnchorPaths.anchorFile(staging.toString()));
    AnchorKeyring keyring = AnchorKeyring.read(AnchorPaths.keyringFile(staging.toString()));
    try (HikariDataSource ds = Storage.open(url, "", "", 2, "vigil-restore");
        AnchorFile.Reader reader = anchors.open(keyring)) {
      return JournalVerifier.verify(new JournalRepository(ds), reader::next);
    }
  }

  /** Whether another process holds H2's lock on the store file (a server has it open). */
  static boolean inUse(Path database) throws IOException {
    if (!Files.exists(database)) return false;
    try (FileChannel ch = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) return true;
      lock.release();
      return false;
    } catch (OverlappingFileLockException sameProcess) {
      return true;
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException notSupported) {
      // some file systems cannot open a directory; the files themselves were forced
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static void quietLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
  }
}
