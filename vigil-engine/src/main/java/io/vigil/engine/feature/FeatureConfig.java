package io.vigil.engine.feature;

import io.vigil.engine.Limits;
import io.vigil.engine.event.Canonical;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How velocity features are computed.
 *
 * @param windows sliding windows, e.g. 1m, 1h, 24h, 7d, 30d
 * @param latenessMillis how late an event may arrive (relative to the engine clock) and still be
 *     counted exactly; older events are refused. State is kept for the longest window plus this.
 * @param entriesPerKeyMax entries one key (one account, one IP…) keeps; beyond it the oldest are
 *     dropped and windows reaching back past them undercount (counted in {@code entriesDropped})
 * @param devicesPerAccountMax devices remembered per account for the new-device fact
 * @param nearThresholdMinor the reporting threshold that structuring stays under, in minor units
 * @param nearThresholdCurrency the threshold's currency; amounts in other currencies are converted
 *     to it at the exchange rates of the decision
 * @param nearThresholdBandPercent an amount counts as "near" when it is under the threshold by at
 *     most this many percent (default: 450.00 ≤ amount < 500.00 USD)
 * @param baseCurrency the currency sums use when the event itself carries none
 */
public record FeatureConfig(
    List<Window> windows,
    long latenessMillis,
    int entriesPerKeyMax,
    int devicesPerAccountMax,
    long nearThresholdMinor,
    String nearThresholdCurrency,
    int nearThresholdBandPercent,
    String baseCurrency) {

  public FeatureConfig {
    if (windows.isEmpty() || windows.size() > Limits.WINDOWS_MAX) {
      throw new IllegalArgumentException("between 1 and " + Limits.WINDOWS_MAX + " windows are required");
    }
    List<Window> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparingLong(Window::millis));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).millis() == sorted.get(i - 1).millis()) {
        throw new IllegalArgumentException("windows must differ in length: " + sorted.get(i).name());
      }
    }
    windows = List.copyOf(sorted);
    if (latenessMillis < 0 || latenessMillis > Limits.WINDOW_MILLIS_MAX) {
      throw new IllegalArgumentException("lateness must be between 0 and 90 days");
    }
    if (entriesPerKeyMax < 16 || entriesPerKeyMax > 10_000_000) {
      throw new IllegalArgumentException("entries per key must be between 16 and 10,000,000");
    }
    if (devicesPerAccountMax < 1 || devicesPerAccountMax > 1_024) {
      throw new IllegalArgumentException("devices per account must be between 1 and 1,024");
    }
    if (nearThresholdMinor <= 0 || nearThresholdBandPercent <= 0 || nearThresholdBandPercent >= 100) {
      throw new IllegalArgumentException("the structuring threshold must be positive with a band of 1-99 %");
    }
    if (!Canonical.isIsoCurrency(nearThresholdCurrency) || !Canonical.isIsoCurrency(baseCurrency)) {
      throw new IllegalArgumentException("the structuring threshold's currency and the base currency are ISO 4217 codes such as USD");
    }
  }

  /** 1m, 1h, 24h, 7d, 30d; 24 h lateness; 100,000 entries per key; 64 devices; 500 USD, 10 %. */
  public static FeatureConfig defaults() {
    return new FeatureConfig(
        List.of(Window.parse("1m"), Window.parse("1h"), Window.parse("24h"), Window.parse("7d"), Window.parse("30d")),
        24 * 3_600_000L, 100_000, 64, 50_000, "USD", 10, "USD");
  }

  public long longestWindowMillis() {
    return windows.get(windows.size() - 1).millis();
  }

  /** Entries older than (clock - retention) can never fall inside a window of an accepted event. */
  public long retentionMillis() {
    return longestWindowMillis() + latenessMillis;
  }

  /** Lowest amount (inclusive) counted as near the threshold. */
  public long nearThresholdLowMinor() {
    return nearThresholdMinor - nearThresholdMinor * nearThresholdBandPercent / 100;
  }
}
