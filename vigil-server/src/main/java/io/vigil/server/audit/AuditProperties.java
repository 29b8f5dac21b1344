package io.vigil.server.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail's settings ({@code vigil.audit.*}); README and docs/operations.md list them.
 *
 * @param queueCapacity entries waiting for the writer at most; denied attempts may take half of it
 * @param waitMillis how long an action's request waits for its row to be stored (and for room in the queue)
 * @param bodyBytesMax request body bytes kept for the record; a larger body is recorded as truncated
 * @param verifyAtStart verify the whole chain in the background after start-up and log the result
 * @param archivedThrough the sequence of the last row moved out to an archive (0: none), for the start-up check
 * @param archivedHeadHash that row's hash, as the archive's verification printed it
 */
@Validated
@ConfigurationProperties(prefix = "vigil.audit")
public record AuditProperties(
    @DefaultValue("10000") @Min(2) @Max(1_000_000) int queueCapacity,
    @DefaultValue("2000") @Min(1) @Max(60_000) long waitMillis,
    @DefaultValue("16384") @Min(0) @Max(1_048_576) int bodyBytesMax,
    @DefaultValue("true") boolean verifyAtStart,
    @DefaultValue("0") @Min(0) long archivedThrough,
    @DefaultValue("0000000000000000000000000000000000000000000000000000000000000000") @Pattern(regexp = "[0-9a-f]{64}")
        String archivedHeadHash) {}
