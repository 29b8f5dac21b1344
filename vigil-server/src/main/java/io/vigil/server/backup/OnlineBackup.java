package io.vigil.server.backup;

import io.vigil.server.api.ApiException;
import io.vigil.server.logging.RedactedFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the embedded store while Vigil takes decisions, into a {@link BackupArchive}.
 *
 * <p><b>Order makes it consistent.</b> First the anchor files (each cut at its last whole line, as
 * they may be appended to meanwhile): every head they sign is already committed. Then the database
 * with H2's {@code BACKUP TO}, an online, transactionally consistent copy: it holds every anchored
 * head, so the restored journal verifies against the restored anchors. Last the model files: a model
 * stored meanwhile adds a file no row names (harmless), and every file a row of the copy names is
 * there. The archive is forced to the disk and read back against its manifest before the reply.
 *
 * <p>One backup at a time; a second request meanwhile is refused ({@code 409 backup_in_progress}).
 * On PostgreSQL this is refused ({@code 409 backup_not_embedded}): use {@code pg_basebackup} and WAL
 * archiving (docs/operations.md).
 */
public final class OnlineBackup {
  private static final Logger log = LoggerFactory.getLogger(OnlineBackup.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String MODEL_TEMP_PREFIX = ".tmp-";

  private final DataSource dataSource;
  private final boolean embedded;
  private final Path backupDir;
  private final Path modelDir;
  /** The anchor files and where each goes in the archive; a file that does not exist is skipped. */
  private final List<Source> anchorFiles;
  private final Clock clock;
  private final AtomicBoolean busy = new AtomicBoolean();

  /** A file to copy and its name in the archive; {@code appendedLines}: it grows by whole lines, cut at the last one. */
  public record Source(Path file, String entry, boolean appendedLines) {}

  /** What a backup wrote. */
  public record Result(Path file, long bytes, long createdAtMillis, List<BackupArchive.Entry> entries) {}

  public OnlineBackup(DataSource dataSource, boolean embedded, Path backupDir, Path modelDir, List<Source> anchorFiles,
      Clock clock) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.backupDir = backupDir;
    this.modelDir = modelDir;
    this.anchorFiles = List.copyOf(anchorFiles);
    this.clock = clock;
  }

  public Path backupDir() {
    return backupDir;
  }

  public Result take() {
    if (!embedded) {
      throw ApiException.conflict("invalid_request_error", "backup_not_embedded", "Vigil stores its data in PostgreSQL: back it"
          + " up with pg_basebackup and WAL archiving (see the operations guide)", null);
    }
    if (!busy.compareAndSet(false, true)) {
      throw ApiException.conflict("invalid_request_error", "backup_in_progress", "A backup is being written; wait for it", null);
    }
    try {
      return write();
    } catch (IOException e) {
      throw new UncheckedIOException("the backup could not be written", e);
    } finally {
      busy.set(false);
    }
  }

  private Result write() throws IOException {
    long now = clock.millis();
    Files.createDirectories(backupDir);
    String name = "vigil-backup-" + STAMP.format(clock.instant()) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    Path file = backupDir.resolve(name + ".zip");
    Path database = backupDir.resolve(".tmp-" + name + "-h2.zip");
    List<BackupArchive.Entry> entries;
    try {
      try (BackupArchive.Writer archive = new BackupArchive.Writer(file, now)) {
        for (Source s : anchorFiles) {
          if (!Files.isRegularFile(s.file())) continue;
          archive.add(s.entry(), s.file(), s.appendedLines() ? wholeLines(s.file()) : Files.size(s.file()));
        }
        h2Backup(database);
        addDatabase(archive, database);
        for (Path model : modelFiles()) archive.add("models/" + model.getFileName(), model, Files.size(model));
        entries = archive.entries();
      }
      BackupArchive.verify(file);
    } catch (IOException | RuntimeException | BackupArchive.Invalid e) {
      Files.deleteIfExists(file);
      if (e instanceof BackupArchive.Invalid invalid) throw new IOException("the backup read back wrong", invalid);
      if (e instanceof IOException io) throw io;
      throw (RuntimeException) e;
    } finally {
      Files.deleteIfExists(database);
    }
    long bytes = Files.size(file);
    log.info("backup written: {} ({} bytes, {} entries)", file, bytes, entries.size());
    return new Result(file, bytes, now, entries);
  }

  private void h2Backup(Path target) throws IOException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("BACKUP TO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      log.error("H2 BACKUP TO failed", RedactedFailure.of(e));
      throw new IOException("the database could not be backed up: " + e.getMessage(), e);
    }
  }

  /** H2's backup is a zip of the store file; its one {@code .mv.db} entry becomes the archive's database. */
  private static void addDatabase(BackupArchive.Writer archive, Path h2Zip) throws IOException {
    boolean found = false;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(h2Zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (!e.getName().endsWith(".mv.db")) continue;
        if (found) throw new IOException("H2's backup holds more than one store file");
        archive.add(BackupArchive.DATABASE, in);
        found = true;
      }
    }
    if (!found) throw new IOException("H2's backup holds no store file");
  }

  private List<Path> modelFiles() throws IOException {
    if (!Files.isDirectory(modelDir)) return List.of();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(modelDir,
        p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(MODEL_TEMP_PREFIX))) {
      return StreamSupport.stream(dir.spliterator(), false).sorted().toList();
    }
  }

  /** The length of the file up to and including its last newline: a line being appended is left out. */
  static long wholeLines(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = ch.size();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (end > 0) {
        long start = Math.max(0, end - buffer.capacity());
        buffer.clear().limit((int) (end - start));
        while (buffer.hasRemaining() && ch.read(buffer, start + buffer.position()) > 0) {
          // fill
        }
        for (int i = buffer.position() - 1; i >= 0; i--) {
          if (buffer.get(i) == '\n') return start + i + 1;
        }
        end = start;
      }
      return 0;
    }
  }
}
