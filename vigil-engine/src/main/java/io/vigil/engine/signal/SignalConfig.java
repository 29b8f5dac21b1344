package io.vigil.engine.signal;

import io.vigil.engine.signal.links.LinkLimits;

/**
 * Settings of the signals that keep state.
 *
 * @param homeCountry the market Vigil guards (ISO alpha-2), for "a non-resident on a local proxy"; null
 *     turns that signal off
 * @param impossibleTravelSpeedKmh above this speed between consecutive located events, travel is
 *     impossible (an airliner cruises at about 900 km/h)
 * @param impossibleTravelDistanceKmMin shorter jumps are never "impossible": city-level IP
 *     geolocation is often wrong by a hundred kilometres or more
 * @param regionHopsMax how far {@code geo.regions_from_usual} searches the region graph
 * @param phoneCacheEntriesMax parsed phone numbers kept (parsing costs about 17 µs)
 */
public record SignalConfig(
    String homeCountry,
    double impossibleTravelSpeedKmh,
    double impossibleTravelDistanceKmMin,
    int regionHopsMax,
    int phoneCacheEntriesMax,
    LinkLimits linkLimits) {

  public SignalConfig {
    if (homeCountry != null && !homeCountry.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException("home country must be an ISO 3166-1 alpha-2 code such as BD");
    }
    if (!(impossibleTravelSpeedKmh > 0) || impossibleTravelDistanceKmMin < 0) {
      throw new IllegalArgumentException("impossible-travel speed must be > 0 and distance ≥ 0");
    }
    if (regionHopsMax < 1 || regionHopsMax > 64) throw new IllegalArgumentException("region hops must be 1..64");
    if (phoneCacheEntriesMax < 1 || phoneCacheEntriesMax > 10_000_000) {
      throw new IllegalArgumentException("phone cache entries must be 1..10,000,000");
    }
  }

  public static SignalConfig defaults() {
    return new SignalConfig(null, 900, 300, 8, 100_000, LinkLimits.defaults());
  }
}
