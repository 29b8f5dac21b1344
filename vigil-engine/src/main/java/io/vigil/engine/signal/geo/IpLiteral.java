package io.vigil.engine.signal.geo;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/** Parses IP literals for lookups, never resolving a host name. */
final class IpLiteral {
  /** Longest IP literal: a full IPv6 address with an embedded IPv4 tail is 45 characters. */
  static final int TEXT_CHARS_MAX = 45;

  private IpLiteral() {}

  /**
   * The address of an IPv4 or IPv6 literal, or null when the text is not one. An IPv4-mapped
   * IPv6 literal ({@code ::ffff:8.8.8.8}) yields the IPv4 address: it is the same host. Every
   * other IPv6 form, including IPv4-compatible ({@code ::8.8.8.8}), 6to4 and Teredo, stays IPv6.
   * Zone ids are refused.
   */
  static InetAddress parse(String text) {
    if (text == null || text.isEmpty() || text.length() > TEXT_CHARS_MAX || text.indexOf('%') >= 0) return null;
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException notLiteral) {
      return null;
    }
  }
}
