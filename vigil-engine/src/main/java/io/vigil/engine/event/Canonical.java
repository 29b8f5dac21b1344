package io.vigil.engine.event;

import com.google.common.net.InetAddresses;
import java.util.Currency;

/**
 * The one definition of the normalized forms that events, list entries and lookups share, so that
 * a value stored by one compares equal to the same value given to another.
 */
public final class Canonical {
  private Canonical() {}

  /**
   * An IPv4 or IPv6 literal in canonical form (IPv6 compressed and lower-case), or null when the
   * text is not a literal. Guava parses literals only: it never resolves a host name. Zone ids
   * ({@code fe80::1%eth0}) are refused: they name an interface of the sender, not an address.
   */
  public static String ipAddress(String text) {
    if (text.indexOf('%') >= 0 || !InetAddresses.isInetAddress(text)) return null;
    return InetAddresses.toAddrString(InetAddresses.forString(text));
  }

  /** True for an upper-case ISO 4217 code the JDK knows, such as USD or BDT. */
  public static boolean isIsoCurrency(String code) {
    if (code.length() != 3) return false;
    for (int i = 0; i < 3; i++) {
      char c = code.charAt(i);
      if (c < 'A' || c > 'Z') return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  /** The currency's ISO 4217 minor-unit exponent (0 for currencies without one, such as XAU). */
  public static int minorDigits(String currency) {
    return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
  }
}
