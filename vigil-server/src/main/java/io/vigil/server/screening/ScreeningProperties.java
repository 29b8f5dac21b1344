package io.vigil.server.screening;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Screening ({@code vigil.screening.*}); docs/aml.md explains each. Bad values fail start-up.
 *
 * @param listsDir directory of list files loaded at start-up (empty: none); the format comes from the file name
 * @param threshold the default score (0–1) at which a name matches; a list may set its own
 * @param thresholds per-list thresholds by list name
 * @param blockedCountries ISO alpha-2 countries whose parties are refused unless exempt
 * @param uploadBytesMax largest list file accepted by upload
 * @param rescreenBatchMax subjects re-screened per batch when a list changes
 * @param writerIntervalMillis how often hits found on the decision path are written
 */
@Validated
@ConfigurationProperties(prefix = "vigil.screening")
public record ScreeningProperties(
    @DefaultValue("") String listsDir,
    @DefaultValue("0.90") @DecimalMin("0.5") @DecimalMax("1.0") double threshold,
    @DefaultValue Map<String, Double> thresholds,
    @DefaultValue({"KP", "IR", "SY", "CU"}) List<String> blockedCountries,
    @DefaultValue("67108864") @Min(1024) @Max(268_435_456) int uploadBytesMax,
    @DefaultValue("500") @Min(1) @Max(10_000) int rescreenBatchMax,
    @DefaultValue("500") @Min(10) @Max(60_000) long writerIntervalMillis) {}
