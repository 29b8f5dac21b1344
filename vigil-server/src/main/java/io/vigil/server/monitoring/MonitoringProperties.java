package io.vigil.server.monitoring;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Transaction monitoring ({@code vigil.monitoring.*}). Bad values fail start-up. docs/aml.md explains each.
 *
 * @param currency the operator's currency: scenario amounts are in its minor units, event amounts are converted to it
 * @param pollMillis how often the monitor looks for newly committed decisions when idle
 * @param batchRows decisions the monitor reads per pass
 * @param accountsMax accounts the transfer graph holds (least recently touched evicted first)
 * @param identityKeysMax device, phone and identity keys the identity index holds
 */
@Validated
@ConfigurationProperties(prefix = "vigil.monitoring")
public record MonitoringProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String currency,
    @DefaultValue("500") @Min(10) @Max(60_000) long pollMillis,
    @DefaultValue("500") @Min(1) @Max(10_000) int batchRows,
    @DefaultValue("1000000") @Min(100) @Max(50_000_000) int accountsMax,
    @DefaultValue("1000000") @Min(100) @Max(50_000_000) int identityKeysMax) {}
