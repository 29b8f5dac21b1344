package io.vigil.server.state;

import io.vigil.engine.state.StateFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What a checkpoint directory holds, written last: the format version, the journal head it was
 * taken at (sequence and hash), when, and each file's length and CRC32C. Text, one item a line,
 * ending with the CRC32C of the lines before it, so a damaged or cut manifest is refused too.
 */
public record Manifest(int formatVersion, long sequence, String hash, long createdAtMillis, Map<String, FileSum> files) {
  /** The checkpoint format this build writes and reads. */
  public static final int FORMAT_VERSION = 1;
  static final String FIRST_LINE = "vigil-checkpoint";

  /**
   * A file's length and CRC32C; {@code crc32c} null for a file that carries its own checksums (the
   * disk-backed windows' RocksDB files and {@code store.bin}), listed by name and length only.
   */
  public record FileSum(long bytes, Integer crc32c) {}

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(FIRST_LINE).append(' ').append(formatVersion).append('\n');
    b.append("sequence ").append(sequence).append('\n');
    b.append("hash ").append(hash).append('\n');
    b.append("created_at_millis ").append(createdAtMillis).append('\n');
    files.forEach((name, sum) -> b.append("file ").append(name).append(' ').append(sum.bytes()).append(' ')
        .append(sum.crc32c() == null ? "-" : String.format(Locale.ROOT, "%08x", sum.crc32c())).append('\n'));
    String sum = String.format(Locale.ROOT, "%08x", crc(b.toString()));
    b.append("crc32c ").append(sum).append('\n');
    return b.toString();
  }

  public static Manifest parse(String text) throws StateFormatException {
    int end = text.lastIndexOf("crc32c ");
    if (end < 0 || !text.endsWith("\n")) throw new StateFormatException("the manifest is cut short");
    String body = text.substring(0, end);
    String written = text.substring(end + "crc32c ".length(), text.length() - 1);
    if (!String.format(Locale.ROOT, "%08x", crc(body)).equals(written)) throw new StateFormatException("the manifest's checksum does not match");
    List<String> lines = new ArrayList<>(List.of(body.split("\n")));
    try {
      String[] first = lines.remove(0).split(" ");
      if (!first[0].equals(FIRST_LINE)) throw new StateFormatException("not a checkpoint manifest");
      int version = Integer.parseInt(first[1]);
      long sequence = Long.parseLong(value(lines.remove(0), "sequence"));
      String hash = value(lines.remove(0), "hash");
      long created = Long.parseLong(value(lines.remove(0), "created_at_millis"));
      Map<String, FileSum> files = new LinkedHashMap<>();
      for (String line : lines) {
        String[] f = line.split(" ");
        if (f.length != 4 || !f[0].equals("file")) throw new StateFormatException("unexpected manifest line: " + line);
        files.put(f[1], new FileSum(Long.parseLong(f[2]), f[3].equals("-") ? null : Integer.parseUnsignedInt(f[3], 16)));
      }
      return new Manifest(version, sequence, hash, created, files);
    } catch (RuntimeException e) {
      throw new StateFormatException("the manifest does not parse: " + e.getMessage());
    }
  }

  private static String value(String line, String key) throws StateFormatException {
    if (!line.startsWith(key + " ")) throw new StateFormatException("expected " + key + " in the manifest, found: " + line);
    return line.substring(key.length() + 1);
  }

  private static int crc(String s) {
    CRC32C c = new CRC32C();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return (int) c.getValue();
  }
}
