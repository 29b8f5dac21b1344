package io.vigil.server.config;

import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.Window;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of Vigil, under the {@code vigil.} prefix. Bad values fail start-up; none is
 * silently corrected. The README's configuration table lists each with its unit, default and bounds.
 */
@Validated
@ConfigurationProperties(prefix = "vigil")
public record VigilProperties(
    /** Directory for the embedded database. */
    @DefaultValue("./data") @NotBlank String dataDir,
    @DefaultValue @Valid Storage storage,
    @DefaultValue @Valid Decisions decisions,
    @DefaultValue @Valid Features features) {

  /**
   * @param url JDBC URL; empty means the embedded H2 database under dataDir
   * @param poolSize connections shared by the journal committer, API reads and configuration writes
   */
  public record Storage(
      @DefaultValue("") String url,
      @DefaultValue("") String username,
      @DefaultValue("") String password,
      @DefaultValue("8") @Min(2) @Max(64) int poolSize) {}

  /**
   * @param queueCapacity decisions waiting for the sequencer; beyond it requests get 503
   * @param commitBatchMax decisions written in one transaction (group commit)
   * @param replyTimeoutMillis how long a request waits for its durable decision before a 503
   * @param overloadFallbackAction the action a 503 body advises the caller to apply (fail-open
   *     ALLOW, or fail-closed DENY/REVIEW)
   */
  public record Decisions(
      @DefaultValue("4096") @Min(16) @Max(1_000_000) int queueCapacity,
      @DefaultValue("512") @Min(1) @Max(10_000) int commitBatchMax,
      @DefaultValue("2000") @Min(10) @Max(60_000) long replyTimeoutMillis,
      @DefaultValue("REVIEW") @Pattern(regexp = "ALLOW|REVIEW|DENY") String overloadFallbackAction) {}

  /**
   * @param windows velocity windows such as 1m, 1h, 24h, 7d, 30d
   * @param latenessMillis how late an event may be and still be counted exactly
   * @param entriesPerKeyMax events one key keeps in its windows
   * @param devicesPerAccountMax devices remembered per account for the new-device fact
   * @param nearThresholdMinor the reporting threshold that structuring stays under (minor units)
   */
  public record Features(
      @DefaultValue({"1m", "1h", "24h", "7d", "30d"}) @Size(min = 1, max = 8) List<String> windows,
      @DefaultValue("86400000") @Min(0) @Max(7_776_000_000L) long latenessMillis,
      @DefaultValue("100000") @Min(16) @Max(10_000_000) int entriesPerKeyMax,
      @DefaultValue("64") @Min(1) @Max(1024) int devicesPerAccountMax,
      @DefaultValue("50000") @Min(1) long nearThresholdMinor,
      @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String nearThresholdCurrency,
      @DefaultValue("10") @Min(1) @Max(99) int nearThresholdBandPercent,
      @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String baseCurrency) {

    public FeatureConfig toFeatureConfig() {
      return new FeatureConfig(windows.stream().map(Window::parse).toList(), latenessMillis, entriesPerKeyMax,
          devicesPerAccountMax, nearThresholdMinor, nearThresholdCurrency, nearThresholdBandPercent, baseCurrency);
    }
  }
}
