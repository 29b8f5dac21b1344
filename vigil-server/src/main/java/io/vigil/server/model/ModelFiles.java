package io.vigil.server.model;

import io.vigil.engine.model.ModelArtifact;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model artifact texts as files, named by their SHA-256: {@code <dir>/<sha256>}. A file is written
 * under a temporary name, forced to the disk and renamed (the directory forced too) before any row
 * names it, so a stored row always finds a complete file; a file no row names (a crash between the
 * two) is deleted at start-up. Keeping bodies of tens of MB out of the database keeps them out of
 * the decision journal's store: an upload never holds the store's lock or its commit.
 */
public final class ModelFiles {
  private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);
  private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");
  private static final String TEMP_PREFIX = ".tmp-";
  private final Path dir;

  public ModelFiles(Path dir) {
    this.dir = dir;
  }

  /** What was written: the file's SHA-256 (its name) and its size. */
  public record Stored(String sha256, long bytes) {}

  /** Writes the artifact text given piece by piece to {@code body}, durably, and names it by its hash. */
  public Stored write(TextWriter body) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    try {
      MessageDigest sha = sha256();
      long bytes;
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        CountingStream counted = new CountingStream(new DigestOutputStream(Channels.newOutputStream(channel), sha));
        body.write(text -> counted.write(text.getBytes(StandardCharsets.UTF_8)));
        counted.flush();
        bytes = counted.count;
        channel.force(true);
      }
      String name = HexFormat.of().formatHex(sha.digest());
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory();
      return new Stored(name, bytes);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads and checks a stored artifact: a missing file or one whose hash differs is an {@link IllegalStateException}. */
  public ModelArtifact read(String sha256, long bytes) {
    Path file = file(sha256);
    byte[] content;
    try {
      if (!Files.exists(file)) throw new IllegalStateException("the model's body file is missing from " + dir);
      if (Files.size(file) != bytes || bytes > ModelArtifact.BYTES_MAX * 2L) {
        throw new IllegalStateException("the model's body file has the wrong size");
      }
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a model's body file failed", e);
    }
    if (!HexFormat.of().formatHex(sha256().digest(content)).equals(sha256)) {
      throw new IllegalStateException("the model's body file does not match its SHA-256");
    }
    return ModelArtifact.parse(new String(content, StandardCharsets.UTF_8));
  }

  /** Deletes a file no row names (after a refused insert). */
  public void deleteQuietly(String sha256) {
    try {
      Files.deleteIfExists(file(sha256));
    } catch (IOException e) {
      log.warn("could not delete an unused model file in {}", dir);
    }
  }

  /** Deletes temporary files and files that no stored row names: what an interrupted store left. */
  public void deleteUnreferenced(Set<String> referenced) {
    if (!Files.isDirectory(dir)) return;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        boolean orphan = name.startsWith(TEMP_PREFIX) || (NAME.matcher(name).matches() && !referenced.contains(name));
        if (orphan) {
          Files.deleteIfExists(f);
          log.info("deleted the model file {} that no stored model names (an interrupted store)", name);
        }
      }
    } catch (IOException e) {
      log.warn("could not clean the model directory {}: {}", dir, e.getMessage());
    }
  }

  private Path file(String sha256) {
    if (!NAME.matcher(sha256).matches()) throw new IllegalStateException("a model's stored SHA-256 is malformed");
    return dir.resolve(sha256);
  }

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is then as durable as they make it.
      log.debug("could not force the model directory {}: {}", dir, e.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a model's text, piece by piece. */
  public interface TextWriter {
    void write(TextSink sink) throws IOException;
  }

  /** Takes one piece of a model's text. */
  public interface TextSink {
    void accept(String text) throws IOException;
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
