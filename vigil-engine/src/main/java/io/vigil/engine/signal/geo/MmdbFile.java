package io.vigil.engine.signal.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.vigil.engine.signal.ReferenceDataException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One MaxMind DB (MMDB) file opened through MaxMind's reader in memory-mapped mode, checked on
 * open, with the facts the geo and ASN databases need: which address families it really holds,
 * a version string, and a sample of its records.
 *
 * <p>Memory-mapped: replace a live file by writing a new one and renaming it over the old one;
 * truncating or rewriting the mapped file in place can crash the JVM.
 */
final class MmdbFile implements AutoCloseable {
  /** Largest file accepted: MaxMind's reader maps a file as one buffer (2 GiB - 1 bytes). */
  static final long FILE_SIZE_BYTES_MAX = Integer.MAX_VALUE;
  /** Decoded records kept per file; the cache never evicts, so this bounds its memory. */
  static final int DECODED_CACHE_ENTRIES = 32_768;
  /** Records read on open to learn the schema and prove the data section decodes. */
  static final int SAMPLE_RECORDS = 64;
  /** Characters of the SHA-256 kept in a version string. */
  static final int VERSION_HASH_CHARS = 12;

  private static final DateTimeFormatter BUILD_DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  final Path file;
  final Reader reader;
  final Metadata metadata;
  final String sha256Hex;
  final boolean coversIpv4;
  final boolean coversIpv6;
  final List<Map<String, Object>> sample;

  private MmdbFile(Path file, Reader reader, String sha256Hex, List<Map<String, Object>> sample) throws IOException {
    this.file = file;
    this.reader = reader;
    this.metadata = reader.getMetadata();
    this.sha256Hex = sha256Hex;
    this.sample = sample;
    this.coversIpv4 = holdsData(reader, InetAddress.getByAddress(new byte[4]), 0);
    this.coversIpv6 = metadata.getIpVersion() == 6 && holdsData(reader, InetAddress.getByAddress(globalUnicast()), 3);
  }

  /**
   * Opens and checks a file: readable, within size, a MaxMind DB whose search tree and first
   * records decode. What the records must hold is the caller's check, on {@link #sample}.
   *
   * @param what how messages name the file's role, e.g. "geo database"
   */
  static MmdbFile open(String component, String what, Path file) throws ReferenceDataException {
    String name = what + " " + file;
    checkFile(component, name, file);
    String sha256Hex = sha256Hex(component, name, file);
    Reader reader;
    try {
      reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache(DECODED_CACHE_ENTRIES));
    } catch (IOException | RuntimeException e) {
      throw new ReferenceDataException(component, name + " is not a readable MaxMind DB (MMDB) file: " + e.getMessage(), e);
    }
    try {
      checkMetadata(component, name, reader.getMetadata());
      List<Map<String, Object>> sample = sample(reader);
      if (sample.isEmpty()) throw new ReferenceDataException(component, name + " holds no records");
      MmdbFile opened = new MmdbFile(file, reader, sha256Hex, sample);
      if (!opened.coversIpv4 && !opened.coversIpv6) {
        throw new ReferenceDataException(component, name + " holds no IPv4 and no global IPv6 data");
      }
      return opened;
    } catch (ReferenceDataException e) {
      closeQuietly(reader);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader);
      throw new ReferenceDataException(component, name + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** For example {@code GeoLite2-City 2019-07-23 sha256:0123456789ab}. */
  String version() {
    return metadata.getDatabaseType() + " " + BUILD_DATE.format(metadata.getBuildDate().toInstant())
        + " sha256:" + sha256Hex.substring(0, VERSION_HASH_CHARS);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static void checkFile(String component, String name, Path file) throws ReferenceDataException {
    if (!Files.isRegularFile(file)) throw new ReferenceDataException(component, name + " is missing or not a regular file");
    if (!Files.isReadable(file)) throw new ReferenceDataException(component, name + " is not readable");
    long sizeBytes;
    try {
      sizeBytes = Files.size(file);
    } catch (IOException e) {
      throw new ReferenceDataException(component, name + " cannot be read: " + e.getMessage(), e);
    }
    if (sizeBytes == 0) throw new ReferenceDataException(component, name + " is empty");
    if (sizeBytes > FILE_SIZE_BYTES_MAX) {
      throw new ReferenceDataException(component, name + " is " + sizeBytes + " bytes, over the " + FILE_SIZE_BYTES_MAX + " bytes limit");
    }
  }

  private static void checkMetadata(String component, String name, Metadata metadata) throws ReferenceDataException {
    if (metadata.getBinaryFormatMajorVersion() != 2) {
      throw new ReferenceDataException(component, name + " has MMDB format version " + metadata.getBinaryFormatMajorVersion() + ", expected 2");
    }
    int ipVersion = metadata.getIpVersion();
    if (ipVersion != 4 && ipVersion != 6) throw new ReferenceDataException(component, name + " has ip_version " + ipVersion + ", expected 4 or 6");
    String type = metadata.getDatabaseType();
    if (type == null || type.isBlank()) throw new ReferenceDataException(component, name + " has no database_type");
    if (metadata.getBuildDate() == null) throw new ReferenceDataException(component, name + " has no build_epoch");
  }

  /** The first records of the file in address order, walking the search tree to reach them. */
  private static List<Map<String, Object>> sample(Reader reader) throws IOException {
    List<Map<String, Object>> records = new ArrayList<>(SAMPLE_RECORDS);
    @SuppressWarnings("unchecked")
    Class<Map<String, Object>> mapClass = (Class<Map<String, Object>>) (Class<?>) Map.class;
    Networks<Map<String, Object>> networks;
    try {
      networks = reader.networks(false, mapClass);
    } catch (InvalidNetworkException e) {
      throw new AssertionError("the whole tree is a valid network", e);
    }
    for (int i = 0; i < SAMPLE_RECORDS && networks.hasNext(); i++) {
      DatabaseRecord<Map<String, Object>> next = networks.next();
      if (next.getData() != null) records.add(next.getData());
    }
    assert records.size() <= SAMPLE_RECORDS;
    return records;
  }

  /** True when the tree holds at least one record under network/prefixLength (aliases excluded). */
  private static boolean holdsData(Reader reader, InetAddress network, int prefixLength) throws IOException {
    try {
      return reader.networksWithin(new Network(network, prefixLength), false, Map.class).hasNext();
    } catch (InvalidNetworkException e) {
      throw new AssertionError("0.0.0.0/0 and 2000::/3 are valid networks", e);
    }
  }

  /** 2000::, the start of the global unicast IPv6 range 2000::/3. */
  private static byte[] globalUnicast() {
    byte[] bytes = new byte[16];
    bytes[0] = 0x20;
    return bytes;
  }

  private static String sha256Hex(String component, String name, Path file) throws ReferenceDataException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) digest.update(buffer, 0, n);
    } catch (IOException e) {
      throw new ReferenceDataException(component, name + " cannot be read: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static void closeQuietly(Reader reader) {
    try {
      reader.close();
    } catch (IOException ignored) {
      // Already failing: the open error is the one to report.
    }
  }
}
