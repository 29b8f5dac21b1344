package io.vigil.server.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key of a client address in the per-address tables: an IPv4 address as it is, an IPv6 address
 * by its /64 network (one subscriber usually holds a whole /64, so counting single IPv6 addresses
 * would give one client billions of budgets).
 */
final class ClientAddresses {
  private static final int IPV6_NETWORK_BYTES = 8;

  private ClientAddresses() {}

  static String key(String remoteAddress) {
    if (remoteAddress == null || remoteAddress.indexOf(':') < 0) return remoteAddress == null ? "" : remoteAddress;
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(stripZone(remoteAddress)).getAddress(); // a numeric literal: no name lookup
    } catch (UnknownHostException | SecurityException e) {
      return remoteAddress;
    }
    if (bytes.length == 4) return ipv4(bytes); // an IPv4-mapped IPv6 address
    StringBuilder network = new StringBuilder(20);
    for (int i = 0; i < IPV6_NETWORK_BYTES; i += 2) {
      network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return network.append(":/64").toString();
  }

  private static String ipv4(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  private static String stripZone(String address) {
    int zone = address.indexOf('%');
    return zone < 0 ? address : address.substring(0, zone);
  }
}
