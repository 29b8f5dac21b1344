package io.vigil.server.cases;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cases and the review loop ({@code vigil.cases.*}). Bad values fail start-up. docs/cases.md explains each.
 *
 * @param grouping {@code account}: a decision joins the open case of its account; {@code none}: one case per decision
 * @param openerPollMillis how often the opener looks for newly committed decisions when idle
 * @param openerBatchRows decisions the opener reads per pass
 */
@Validated
@ConfigurationProperties(prefix = "vigil.cases")
public record CasesProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("account") @Pattern(regexp = "account|none") String grouping,
    @DefaultValue("200") @Min(10) @Max(60_000) long openerPollMillis,
    @DefaultValue("500") @Min(1) @Max(10_000) int openerBatchRows,
    @DefaultValue @Valid Sampling sampling,
    @DefaultValue @Valid Attachments attachments) {

  public boolean groupByAccount() {
    return "account".equals(grouping);
  }

  /**
   * Allowed decisions drawn for a person to check (the false-negative side), by a stable hash of
   * the decision id, so a replay draws the same ones.
   *
   * @param abnormalApplications share of registrations and merchant onboardings that a rule flagged but that were allowed
   * @param allowedPayments share of allowed payments, transfers and withdrawals
   */
  public record Sampling(
      @DefaultValue("0.10") @DecimalMin("0") @DecimalMax("1") double abnormalApplications,
      @DefaultValue("0.001") @DecimalMin("0") @DecimalMax("1") double allowedPayments) {}

  /**
   * @param bytesMax largest file a case takes
   * @param perCaseMax files a case holds at most
   * @param mediaTypes the types accepted (checked against the file's first bytes where the type has a signature)
   */
  public record Attachments(
      @DefaultValue("5242880") @Min(1) @Max(52_428_800) long bytesMax,
      @DefaultValue("50") @Min(1) @Max(1_000) int perCaseMax,
      @DefaultValue({"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv"}) @Size(min = 1, max = 20)
      List<String> mediaTypes) {}
}
