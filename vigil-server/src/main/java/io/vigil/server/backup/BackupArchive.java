package io.vigil.server.backup;

import io.vigil.server.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A backup of the embedded store's data directory as one zip file: the database ({@value #DATABASE},
 * from H2's online {@code BACKUP TO}), the model files ({@code models/}), the journal's anchor files
 * ({@code anchor/}), and {@value #MANIFEST}, written last, which lists every other entry with its
 * size and SHA-256. A backup is trusted only after {@link #verify} has read every entry back against
 * the manifest. Derived data (state checkpoints, reference downloads) is not in it: it is rebuilt.
 */
public final class BackupArchive {
  public static final String MANIFEST = "manifest.json";
  public static final String DATABASE = "vigil.mv.db";
  public static final int FORMAT = 1;
  /** Entry names: relative, no "..", no absolute paths, so extracting cannot write outside the target. */
  private static final Pattern ENTRY = Pattern.compile("(?:[A-Za-z0-9_.\\-]+/)?[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*");

  private BackupArchive() {}

  /** One entry of the manifest. */
  public record Entry(String path, long bytes, String sha256) {}

  /** What the manifest says: when the backup was made, and its entries. */
  public record Manifest(int format, long createdAtMillis, List<Entry> entries) {}

  /** A backup that cannot be trusted: unreadable, incomplete, or an entry that differs from the manifest. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message);
    }
  }

  /** Writes entries and then the manifest; the file is forced to the disk when closed. */
  public static final class Writer implements AutoCloseable {
    private final FileChannel channel;
    private final ZipOutputStream zip;
    private final List<Entry> entries = new ArrayList<>();
    private final long createdAtMillis;

    public Writer(Path file, long createdAtMillis) throws IOException {
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.zip = new ZipOutputStream(Channels.newOutputStream(channel));
      this.createdAtMillis = createdAtMillis;
    }

    /** Adds an entry read from {@code in} to its end. */
    public Entry add(String path, InputStream in) throws IOException {
      if (!ENTRY.matcher(path).matches() || path.equals(MANIFEST)) throw new IllegalArgumentException("bad entry name " + path);
      zip.putNextEntry(new ZipEntry(path));
      MessageDigest sha = sha256();
      long bytes = copy(new DigestInputStream(in, sha), zip);
      zip.closeEntry();
      Entry e = new Entry(path, bytes, HexFormat.of().formatHex(sha.digest()));
      entries.add(e);
      return e;
    }

    /** Adds the bytes of {@code file} up to {@code bytesMax} (a file that may be appended to meanwhile). */
    public Entry add(String path, Path file, long bytesMax) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return add(path, new BoundedInputStream(in, bytesMax));
      }
    }

    public List<Entry> entries() {
      return List.copyOf(entries);
    }

    @Override
    public void close() throws IOException {
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("format", FORMAT);
      manifest.put("created_at_millis", createdAtMillis);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Entry e : entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.path());
        m.put("bytes", e.bytes());
        m.put("sha256", e.sha256());
        list.add(m);
      }
      manifest.put("entries", list);
      zip.putNextEntry(new ZipEntry(MANIFEST));
      zip.write(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.finish();
      zip.flush();
      channel.force(true);
      zip.close();
    }
  }

  /**
   * Reads every entry of the backup back and checks it against the manifest: the manifest must be
   * there, list the database, and each listed entry must exist with its size and SHA-256; an entry
   * the manifest does not list is refused too.
   */
  public static Manifest verify(Path file) throws Invalid {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry m = zip.getEntry(MANIFEST);
      if (m == null) throw new Invalid(file + " has no " + MANIFEST + ": not a Vigil backup, or cut short");
      Manifest manifest;
      try (InputStream in = zip.getInputStream(m)) {
        manifest = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      if (manifest.format() != FORMAT) throw new Invalid("backup format " + manifest.format() + " is not " + FORMAT);
      if (manifest.entries().stream().noneMatch(e -> e.path().equals(DATABASE))) {
        throw new Invalid("the manifest lists no " + DATABASE);
      }
      for (Entry e : manifest.entries()) {
        ZipEntry z = zip.getEntry(e.path());
        if (z == null) throw new Invalid("entry " + e.path() + " is missing");
        MessageDigest sha = sha256();
        long bytes;
        try (InputStream in = new DigestInputStream(zip.getInputStream(z), sha)) {
          bytes = copy(in, OutputStream.nullOutputStream());
        }
        String sum = HexFormat.of().formatHex(sha.digest());
        if (bytes != e.bytes() || !sum.equals(e.sha256())) {
          throw new Invalid("entry " + e.path() + " differs from the manifest (" + bytes + " bytes, SHA-256 " + sum + ")");
        }
      }
      long listed = manifest.entries().size() + 1;
      if (zip.size() != listed) throw new Invalid("the backup holds " + zip.size() + " entries, the manifest " + listed);
      return manifest;
    } catch (IOException | RuntimeException e) {
      throw new Invalid(file + " cannot be read as a backup: " + e.getMessage());
    }
  }

  /** Writes every entry of a verified backup under {@code dir}, each file forced to the disk. */
  public static void extract(Path file, Manifest manifest, Path dir) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (Entry e : manifest.entries()) {
        Path target = dir.resolve(e.path()).normalize();
        if (!target.startsWith(dir)) throw new IOException("entry " + e.path() + " points outside " + dir);
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(zip.getEntry(e.path()));
            FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          copy(in, Channels.newOutputStream(out));
          out.force(true);
        }
      }
    }
  }

  private static Manifest parse(String json) throws Invalid {
    Map<String, Object> m = Json.readMap(json);
    if (!(m.get("format") instanceof Number format) || !(m.get("created_at_millis") instanceof Number created)
        || !(m.get("entries") instanceof List<?> list)) {
      throw new Invalid("the manifest lacks format, created_at_millis or entries");
    }
    List<Entry> entries = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> e) || !(e.get("path") instanceof String path) || !(e.get("bytes") instanceof Number bytes)
          || !(e.get("sha256") instanceof String sha)) {
        throw new Invalid("a manifest entry lacks path, bytes or sha256");
      }
      if (!ENTRY.matcher(path).matches()) throw new Invalid("manifest entry name not allowed: " + path);
      entries.add(new Entry(path, bytes.longValue(), sha));
    }
    return new Manifest(format.intValue(), created.longValue(), List.copyOf(entries));
  }

  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads at most {@code limit} bytes. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = in.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }
}
