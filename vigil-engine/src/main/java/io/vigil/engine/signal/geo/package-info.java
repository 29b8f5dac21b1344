/**
 * IP-derived signals: where an address is ({@link io.vigil.engine.signal.geo.GeoDatabase}), which
 * network announces it ({@link io.vigil.engine.signal.geo.AsnDatabase}), whether it is a known
 * proxy, VPN or Tor exit or a hosting network ({@link io.vigil.engine.signal.geo.IpReputation}
 * over {@link io.vigil.engine.signal.geo.CidrSet} lists), how far apart two regions or two points
 * are ({@link io.vigil.engine.signal.geo.RegionGraph}, {@link io.vigil.engine.signal.geo.GeoMath}).
 *
 * <p>Everything here is loaded from operator files and is immutable once loaded: to reload, build
 * a new object and swap it in; a file that cannot be used throws
 * {@link io.vigil.engine.signal.ReferenceDataException} naming the file (and line), and the old
 * object stays live. Lookups take canonical IP literals ({@code io.vigil.engine.event.Canonical})
 * and never throw: anything unknown is an UNKNOWN value or false.
 *
 * <p>Data: {@code scripts/fetch-geo-data.sh DEST_DIR} installs pinned free databases (DB-IP City
 * Lite, CC BY 4.0, which requires the attribution "IP Geolocation by DB-IP"; ip-location-db
 * country, CC0; GeoLite2-ASN of 2019, CC BY-SA 4.0) and prints their licences. Samples of the
 * text lists and of the region graph are in this module's {@code reference/} resources.
 */
package io.vigil.engine.signal.geo;
