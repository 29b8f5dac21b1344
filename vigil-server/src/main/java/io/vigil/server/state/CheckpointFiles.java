package io.vigil.server.state;

import io.vigil.engine.state.PartCipher;
import io.vigil.engine.state.StateFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The checkpoints on disk: {@code <dir>/<sequence>/} (the sequence zero-padded to 19 digits, so
 * names sort by sequence), each holding one file per part and {@code manifest.txt}.
 *
 * <p>A checkpoint is written into {@code <dir>/.tmp-<sequence>/}: each part file is fsynced as it
 * is closed, the manifest (with every file's length and CRC32C) is written and fsynced last, and
 * then the directory is renamed into place (atomic on one file system) and the parent directory
 * fsynced. A crash or a full disk at any point leaves a {@code .tmp-} directory, removed at the next
 * start, and the earlier checkpoints as they were. A directory without a valid manifest is never
 * read.
 */
public final class CheckpointFiles {
  public static final String MANIFEST = "manifest.txt";
  private static final String TMP_PREFIX = ".tmp-";
  /** An unusable checkpoint is renamed with this prefix: kept for a look, never read, listed or pruned. */
  public static final String UNUSABLE_PREFIX = "unusable-";
  private static final int BUFFER_BYTES = 1 << 20;
  private final Path dir;
  private final PartCipher cipher;

  public CheckpointFiles(Path dir) {
    this(dir, PartCipher.NONE);
  }

  /** Part files sealed and opened by {@code cipher} (the personal-data protection encrypts them). */
  public CheckpointFiles(Path dir, PartCipher cipher) {
    this.dir = dir;
    this.cipher = cipher;
  }

  public Path dir() {
    return dir;
  }

  /** What seals and opens the part files (also the disk-backed windows' state file). */
  public PartCipher cipher() {
    return cipher;
  }

  /** Writes one part to an output stream (counted and checksummed by the caller's stream). */
  @FunctionalInterface
  public interface PartWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  static String name(long sequence) {
    return String.format("%019d", sequence);
  }

  /** Starts a checkpoint of {@code sequence} in a fresh temporary directory. */
  public Pending begin(long sequence) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(TMP_PREFIX + name(sequence));
    if (Files.exists(tmp)) deleteTree(tmp);
    Files.createDirectory(tmp);
    return new Pending(sequence, tmp);
  }

  /** A checkpoint being written. */
  public final class Pending {
    private final long sequence;
    private final Path tmp;
    private final Map<String, Manifest.FileSum> sums = new LinkedHashMap<>();

    private Pending(long sequence, Path tmp) {
      this.sequence = sequence;
      this.tmp = tmp;
    }

    /** The temporary directory (a part written by another component, such as the disk-backed windows, goes in it). */
    public Path dir() {
      return tmp;
    }

    /**
     * Lists every file under {@code sub} (written there by another component: the disk-backed
     * windows' checkpoint) in the manifest by name and length; their contents carry their own
     * checksums. Each file and directory is fsynced.
     */
    public void recordTree(String sub) throws IOException {
      Path root = tmp.resolve(sub);
      List<Path> all;
      try (Stream<Path> walk = Files.walk(root)) {
        all = walk.sorted().toList();
      }
      for (Path p : all) {
        if (Files.isDirectory(p)) {
          fsyncDirectory(p);
          continue;
        }
        try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
          channel.force(true);
        }
        sums.put(tmp.relativize(p).toString().replace('\\', '/'), new Manifest.FileSum(Files.size(p), null));
      }
    }

    /** Writes and fsyncs one file, remembering its length and CRC32C for the manifest. */
    public void write(String name, PartWriter part) throws IOException {
      try (FileChannel channel = FileChannel.open(tmp.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        CRC32C crc = new CRC32C();
        CountingOutputStream counted = new CountingOutputStream(Channels.newOutputStream(channel));
        OutputStream file = new CheckedOutputStream(counted, crc);
        OutputStream out = new BufferedOutputStream(cipher.sealing(file, name), BUFFER_BYTES);
        part.writeTo(out);
        out.close(); // finishes a sealed part; does not close the channel
        file.flush();
        channel.force(true);
        sums.put(name, new Manifest.FileSum(counted.count, (int) crc.getValue()));
      }
    }

    /** Writes the manifest last, then renames the directory into place. Returns the checkpoint's directory. */
    public Path publish(String hash, long createdAtMillis) throws IOException {
      Manifest m = new Manifest(Manifest.FORMAT_VERSION, sequence, hash, createdAtMillis, sums);
      try (FileChannel channel = FileChannel.open(tmp.resolve(MANIFEST), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        out.write(m.text().getBytes(StandardCharsets.UTF_8));
        out.flush();
        channel.force(true);
      }
      fsyncDirectory(tmp);
      Path target = dir.resolve(name(sequence));
      if (Files.exists(target)) deleteTree(target); // the same sequence again (after a rebuild): the newer wins
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(dir);
      return target;
    }

    /** Removes what was written (a failed write, or a capture whose decisions were not committed). */
    public void abandon() {
      try {
        deleteTree(tmp);
      } catch (IOException ignored) {
        // removed at the next start
      }
    }
  }

  /** The checkpoint directories, newest (highest sequence) first; temporary ones are not listed. */
  public List<Path> newestFirst() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String n = p.getFileName().toString();
        if (Files.isDirectory(p) && n.matches("[0-9]{19}")) out.add(p);
      }
    }
    out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    return out;
  }

  /**
   * Renames an unusable checkpoint out of the way (to {@value #UNUSABLE_PREFIX}{@code <name>}), so
   * that it is not tried again and pruning never keeps it in place of a good one. Returns the new path.
   */
  public Path setAside(Path checkpoint) throws IOException {
    Path target = checkpoint.resolveSibling(UNUSABLE_PREFIX + checkpoint.getFileName());
    if (Files.exists(target)) deleteTree(target);
    Files.move(checkpoint, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  public static long sequenceOf(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString());
  }

  public Manifest manifest(Path checkpoint) throws IOException {
    Path file = checkpoint.resolve(MANIFEST);
    if (!Files.exists(file)) throw new StateFormatException("it has no manifest");
    Manifest m = Manifest.parse(Files.readString(file, StandardCharsets.UTF_8));
    if (m.formatVersion() != Manifest.FORMAT_VERSION) {
      throw new StateFormatException("its format version is " + m.formatVersion() + "; this build reads " + Manifest.FORMAT_VERSION);
    }
    if (m.sequence() != sequenceOf(checkpoint)) throw new StateFormatException("its manifest names sequence " + m.sequence());
    return m;
  }

  /** Reads every file of the checkpoint once and checks its length and CRC32C against the manifest. */
  public void verify(Path checkpoint, Manifest m, List<String> required) throws IOException {
    for (String name : required) if (!m.files().containsKey(name)) throw new StateFormatException("its manifest lists no " + name);
    byte[] buffer = new byte[BUFFER_BYTES];
    for (Map.Entry<String, Manifest.FileSum> f : m.files().entrySet()) {
      Path file = checkpoint.resolve(f.getKey());
      if (!Files.exists(file)) throw new StateFormatException(f.getKey() + " is missing");
      if (f.getValue().crc32c() == null) {
        long size = Files.size(file);
        if (size != f.getValue().bytes()) {
          throw new StateFormatException(f.getKey() + " holds " + size + " bytes, its manifest says " + f.getValue().bytes() + " (truncated?)");
        }
        continue;
      }
      CRC32C crc = new CRC32C();
      long bytes = 0;
      try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
        for (int n; (n = in.read(buffer)) > 0; ) bytes += n;
      }
      if (bytes != f.getValue().bytes()) {
        throw new StateFormatException(f.getKey() + " holds " + bytes + " bytes, its manifest says " + f.getValue().bytes() + " (truncated?)");
      }
      if (f.getValue().crc32c() != null && (int) crc.getValue() != f.getValue().crc32c()) throw new StateFormatException(f.getKey() + " does not match its checksum (damaged)");
    }
  }

  public InputStream open(Path checkpoint, String file) throws IOException {
    return new BufferedInputStream(cipher.opening(new BufferedInputStream(Files.newInputStream(checkpoint.resolve(file)),
        BUFFER_BYTES), file), BUFFER_BYTES);
  }

  /** Writes {@code pending}'s manifest and renames it into place. */
  public Path publish(Pending pending, String hash, long createdAtMillis) throws IOException {
    return pending.publish(hash, createdAtMillis);
  }

  /** Keeps the newest {@code keep} checkpoints and deletes the older ones. */
  public void prune(int keep) throws IOException {
    List<Path> all = newestFirst();
    for (int i = keep; i < all.size(); i++) deleteTree(all.get(i));
  }

  /** Removes temporary directories left by a crash or a failed write (call when no checkpoint is being written). */
  public void removeLeftovers() throws IOException {
    if (!Files.isDirectory(dir)) return;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TMP_PREFIX + "*")) {
      for (Path p : entries) deleteTree(p);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
