package io.vigil.server.cases.sla;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Deadlines of cases ({@code vigil.cases.sla.*}). Bad values fail start-up; docs/cases.md explains each.
 *
 * @param enabled whether the sweep runs (off: no warning, breach or escalation is recorded)
 * @param sweepIntervalSeconds pause between two sweeps; a warning or breach is recorded at most this late
 * @param rowsPerPass cases one pass reads; a sweep runs passes while they come back full, at most {@link SlaSweep#PASSES_PER_SWEEP_MAX}
 */
@Validated
@ConfigurationProperties(prefix = "vigil.cases.sla")
public record SlaProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("60") @Min(1) @Max(3_600) long sweepIntervalSeconds,
    @DefaultValue("200") @Min(1) @Max(5_000) int rowsPerPass) {}
