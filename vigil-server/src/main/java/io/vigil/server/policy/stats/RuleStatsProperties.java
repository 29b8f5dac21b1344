package io.vigil.server.policy.stats;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rule statistics and reviews ({@code vigil.rule-stats.*}). Bad values fail start-up. docs/rules.md explains each.
 *
 * @param enabled whether the background reader rolls the journal up (off: statistics stop at the cursor)
 * @param pollMillis how often the reader looks for newly committed decisions when idle
 * @param batchRows decisions the reader counts per transaction
 * @param reviewDays days after a rule's last review or change when it is flagged as needing review
 */
@Validated
@ConfigurationProperties(prefix = "vigil.rule-stats")
public record RuleStatsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1000") @Min(10) @Max(600_000) long pollMillis,
    @DefaultValue("1000") @Min(1) @Max(10_000) int batchRows,
    @DefaultValue("90") @Min(1) @Max(3_650) int reviewDays) {}
