package io.vigil.engine.signal.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import io.vigil.engine.signal.ReferenceDataException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * IP to autonomous system, from an MMDB file with {@code autonomous_system_number} and
 * {@code autonomous_system_organization} (GeoLite2-ASN, DB-IP ASN Lite, ip-location-db asn),
 * read by MaxMind's reader, memory-mapped. Address families as in {@link GeoDatabase}: an IPv6
 * address is never looked up in an IPv4-only file. Thread-safe; {@link #lookup} never throws.
 */
public final class AsnDatabase implements AutoCloseable {
  public static final String COMPONENT = "asn";

  private final MmdbFile file;
  private final LongAdder lookupErrors = new LongAdder();
  private final RecentAnswers<AsnInfo> recent = new RecentAnswers<>();

  /** The ASN record layout; only these two fields are decoded. */
  public static final class AsnRecord {
    final AsnInfo info;

    @MaxMindDbConstructor
    public AsnRecord(
        @MaxMindDbParameter(name = "autonomous_system_number") Number asn,
        @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {
      long number = asn == null ? 0 : asn.longValue();
      boolean valid = number > 0 && number <= AsnInfo.ASN_MAX;
      this.info = valid ? new AsnInfo(number, organization == null || organization.isBlank() ? null : organization.strip()) : AsnInfo.UNKNOWN;
    }
  }

  private AsnDatabase(MmdbFile file) {
    this.file = file;
  }

  /**
   * Opens a file. Throws when it is not an MMDB, is truncated or corrupt, or holds no AS numbers
   * (a geo database, say); nothing stays open then.
   */
  public static AsnDatabase open(Path path) throws ReferenceDataException {
    MmdbFile mmdb = MmdbFile.open(COMPONENT, "ASN database", path);
    try {
      checkHoldsAsns(mmdb);
      checkDecodes(mmdb);
    } catch (ReferenceDataException e) {
      try {
        mmdb.close();
      } catch (IOException ignored) {
        // Already failing with the reason that matters.
      }
      throw e;
    }
    return new AsnDatabase(mmdb);
  }

  private static void checkHoldsAsns(MmdbFile mmdb) throws ReferenceDataException {
    for (Map<String, Object> record : mmdb.sample) {
      if (record.get("autonomous_system_number") instanceof Number) return;
    }
    throw new ReferenceDataException(COMPONENT, "ASN database " + mmdb.file + " (type " + mmdb.metadata.getDatabaseType()
        + ") has no autonomous_system_number in its first " + mmdb.sample.size() + " records; is it a geo database?");
  }

  private static void checkDecodes(MmdbFile mmdb) throws ReferenceDataException {
    InetAddress probe = IpLiteral.parse(mmdb.coversIpv4 ? "8.8.8.8" : "2001:4860:4860::8888");
    try {
      mmdb.reader.get(probe, AsnRecord.class);
    } catch (IOException | RuntimeException e) {
      throw new ReferenceDataException(COMPONENT, "ASN database " + mmdb.file + " has a record that does not decode: " + e.getMessage(), e);
    }
  }

  /** The AS of an IP literal, or {@link AsnInfo#UNKNOWN}; never throws. */
  public AsnInfo lookup(String canonicalIp) {
    if (canonicalIp == null) return AsnInfo.UNKNOWN;
    AsnInfo cached = recent.get(canonicalIp);
    if (cached != null) return cached;
    InetAddress address = IpLiteral.parse(canonicalIp);
    if (address == null) return AsnInfo.UNKNOWN;
    boolean covered = address instanceof Inet4Address ? file.coversIpv4 : file.coversIpv6;
    AsnInfo info = covered ? read(address) : AsnInfo.UNKNOWN;
    if (info != null) recent.offer(canonicalIp, info);
    return info == null ? AsnInfo.UNKNOWN : info;
  }

  /** The record's AS, UNKNOWN when the file has none, null when it fails to decode. */
  private AsnInfo read(InetAddress address) {
    try {
      AsnRecord record = file.reader.get(address, AsnRecord.class);
      return record == null ? AsnInfo.UNKNOWN : record.info;
    } catch (IOException | RuntimeException e) {
      lookupErrors.increment();
      return null;
    }
  }

  /** Database type, build date and SHA-256 prefix, e.g. {@code GeoLite2-ASN 2019-07-22 sha256:…}. */
  public String version() {
    return file.version();
  }

  public String databaseType() {
    return file.metadata.getDatabaseType();
  }

  public boolean coversIpv4() {
    return file.coversIpv4;
  }

  public boolean coversIpv6() {
    return file.coversIpv6;
  }

  /** Lookups whose record failed to decode (a corrupt data section); 0 for a sound file. */
  public long lookupErrorCount() {
    return lookupErrors.sum();
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException ignored) {
      // Closing a memory-mapped reader only drops references; nothing to report.
    }
  }
}
