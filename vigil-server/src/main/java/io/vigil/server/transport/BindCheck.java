package io.vigil.server.transport;

import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to serve plain HTTP on an address other hosts can reach, unless the operator said so
 * ({@code vigil.http.allow-plain-http-on-public-address=true}): API signatures, session cookies and
 * payment data would cross the network in clear. Loopback, or TLS on, is always fine.
 */
final class BindCheck {
  private static final Logger log = LoggerFactory.getLogger(BindCheck.class);

  private BindCheck() {}

  /**
   * @param address the address the server binds ({@code server.address}); null means every interface
   * @param port the property that names it, for the message ({@code server.address} or {@code management.server.address})
   */
  static void check(String port, InetAddress address, boolean tls, boolean allowPlainHttpOnPublicAddress) {
    if (tls || (address != null && address.isLoopbackAddress())) return;
    String where = address == null || address.isAnyLocalAddress() ? "every network interface" : "a non-loopback address";
    if (!allowPlainHttpOnPublicAddress) throw new PlainHttpRefused(port + " binds " + where + " over plain HTTP");
    log.warn("PLAIN HTTP ON A PUBLIC ADDRESS: {} binds {} without TLS (vigil.http.allow-plain-http-on-public-address=true); "
        + "anything on the network path can read and change the traffic", port, where);
  }
}
