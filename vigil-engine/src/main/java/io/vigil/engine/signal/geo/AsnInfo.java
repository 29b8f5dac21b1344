package io.vigil.engine.signal.geo;

/**
 * The autonomous system that announces an IP address.
 *
 * @param asn the AS number, 1 to 4294967295, or 0 when unknown
 * @param organization the AS holder's name as the database writes it, or null
 */
public record AsnInfo(long asn, String organization) {
  /** The largest AS number (32-bit, RFC 6793). */
  public static final long ASN_MAX = 0xFFFF_FFFFL;

  public static final AsnInfo UNKNOWN = new AsnInfo(0, null);

  public AsnInfo {
    if (asn < 0 || asn > ASN_MAX) throw new IllegalArgumentException("asn out of [0, " + ASN_MAX + "]: " + asn);
  }

  /** True when the AS number is known. */
  public boolean known() {
    return asn != 0;
  }
}
