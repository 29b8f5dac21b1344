package io.vigil.server.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.Optional;

/**
 * The signed heads, outside the database: an append-only JSON-lines file, one {@link Anchor} per
 * line, each line written in one append and fsync'd before the call returns. Vigil only ever
 * appends; it never rewrites or truncates the file. Anchors appear in non-decreasing sequence
 * order; reading checks that order and, given a keyring, every signature.
 */
public final class AnchorFile {
  /** An anchor line is about 300 bytes; the tail read for the last anchor covers several. */
  private static final int TAIL_BYTES = 4_096;
  static final int LINE_CHARS_MAX = 1_024;

  private final Path file;

  public AnchorFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  public void append(Anchor anchor) {
    appendLine(file, anchor.toJsonLine());
  }

  /** Appends one line in a single write and forces it to the disk. */
  static void appendLine(Path file, String line) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) out.write(bytes);
        out.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /** A line that is not a valid anchor: unreadable, out of order, of an unknown key, or with a bad signature. */
  public static final class BadAnchor extends RuntimeException {
    private final long lineNumber;
    private final long claimedSequence;

    BadAnchor(long lineNumber, long claimedSequence, String message) {
      super(message);
      this.lineNumber = lineNumber;
      this.claimedSequence = claimedSequence;
    }

    public long lineNumber() {
      return lineNumber;
    }

    /** The sequence the line claims to anchor, or -1 when it cannot be read. */
    public long claimedSequence() {
      return claimedSequence;
    }
  }

  /** The last anchor, its signature checked; empty for a missing or empty file. */
  public Optional<Anchor> last(AnchorKeyring keys) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int n = (int) Math.min(length, TAIL_BYTES);
      byte[] tail = new byte[n];
      in.seek(length - n);
      in.readFully(tail);
      String text = new String(tail, StandardCharsets.UTF_8).stripTrailing();
      if (text.isEmpty()) return Optional.empty();
      String line = text.substring(text.lastIndexOf('\n') + 1);
      return Optional.of(checked(line, -1, keys, true));
    } catch (NoSuchFileException | java.io.FileNotFoundException missing) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the anchor file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads anchors one by one, in file order, checking each line's signature and order. */
  public Reader open(AnchorKeyring keys) {
    return new Reader(keys, true);
  }

  /**
   * Reads anchors in file order, checking their order and key ids but not their signatures (about
   * 2 ms each with the JDK's Ed25519); check the last one with {@link #last} instead.
   */
  public Reader openUnsigned(AnchorKeyring keys) {
    return new Reader(keys, false);
  }

  public final class Reader implements AutoCloseable {
    private final AnchorKeyring keys;
    private final boolean checkSignatures;
    private final BufferedReader in;
    private long lineNumber;
    private long previousSequence = -1;

    private Reader(AnchorKeyring keys, boolean checkSignatures) {
      this.keys = keys;
      this.checkSignatures = checkSignatures;
      try {
        this.in = Files.exists(file) ? Files.newBufferedReader(file, StandardCharsets.UTF_8) : null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the anchor file " + file + ": " + e.getMessage(), e);
      }
    }

    /** The next anchor, or null at the end; throws {@link BadAnchor} for a bad line. */
    public Anchor next() {
      if (in == null) return null;
      String line;
      try {
        do {
          line = in.readLine();
          lineNumber++;
        } while (line != null && line.isBlank());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the anchor file " + file + ": " + e.getMessage(), e);
      }
      if (line == null) return null;
      Anchor a = checked(line, lineNumber, keys, checkSignatures);
      if (a.sequence() < previousSequence) {
        throw new BadAnchor(lineNumber, a.sequence(), "line " + lineNumber + " of " + file + " anchors sequence " + a.sequence()
            + " after an anchor of sequence " + previousSequence + ": anchors never go back");
      }
      previousSequence = a.sequence();
      return a;
    }

    public long lineNumber() {
      return lineNumber;
    }

    @Override
    public void close() {
      try {
        if (in != null) in.close();
      } catch (IOException ignored) {
        // read-only; nothing to lose
      }
    }
  }

  private Anchor checked(String line, long lineNumber, AnchorKeyring keys, boolean checkSignature) {
    String where = (lineNumber < 0 ? "the last line" : "line " + lineNumber) + " of " + file;
    if (line.length() > LINE_CHARS_MAX) throw new BadAnchor(lineNumber, -1, where + " is too long to be an anchor");
    Anchor a;
    try {
      a = Anchor.fromJsonLine(line);
    } catch (IllegalArgumentException e) {
      throw new BadAnchor(lineNumber, -1, where + " is not an anchor (" + e.getMessage() + ")");
    }
    PublicKey key = keys.find(a.keyId());
    if (key == null) {
      throw new BadAnchor(lineNumber, a.sequence(), where + " is signed by key " + a.keyId() + ", which is not in the keyring "
          + keys.file());
    }
    if (checkSignature && !a.verifiedBy(key)) {
      throw new BadAnchor(lineNumber, a.sequence(), where + ": the signature does not verify with key " + a.keyId()
          + " (the line was changed, or forged)");
    }
    return a;
  }
}
