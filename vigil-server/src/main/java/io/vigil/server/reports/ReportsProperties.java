package io.vigil.server.reports;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Regulatory and business reports ({@code vigil.reports.*}). Bad values fail start-up; docs/aml.md
 * ("Reports") explains each.
 */
@Validated
@ConfigurationProperties(prefix = "vigil.reports")
public record ReportsProperties(
    @DefaultValue @Valid Goaml goaml,
    @DefaultValue @Valid Signing signing,
    @DefaultValue @Valid Schedule schedule,
    @DefaultValue @Valid LargeValue largeValue) {

  /**
   * The reporting entity as the FIU knows it, and the FIU's lookup codes and schema.
   *
   * @param rentityId the reporting entity's id at the FIU
   * @param submissionCode E (electronic) or M (manual)
   * @param currencyCodeLocal the currency amounts are reported in (amount_local)
   * @param lookupsPath a JSON lookup set replacing the bundled Bangladesh (BFIU) one; empty: the bundled set
   * @param xsdPath the FIU's goAML XSD; empty: only Vigil's own structural checks
   */
  public record Goaml(
      @DefaultValue("0") @Pattern(regexp = "[0-9]{1,10}") String rentityId,
      @DefaultValue("") @Size(max = 255) String rentityBranch,
      @DefaultValue("E") @Pattern(regexp = "[EM]") String submissionCode,
      @DefaultValue("BDT") @Pattern(regexp = "[A-Z]{3}") String currencyCodeLocal,
      @DefaultValue("") String lookupsPath,
      @DefaultValue("") String xsdPath,
      @DefaultValue("Vigil reporting institution") @NotBlank @Size(max = 255) String institutionName,
      @DefaultValue("") @Size(max = 11) String institutionSwift,
      @DefaultValue("BD") @Pattern(regexp = "[A-Z]{2}") String country,
      @DefaultValue @Valid ReportingPerson reportingPerson,
      @DefaultValue @Valid Location location) {}

  /** The compliance officer named in every report. */
  public record ReportingPerson(
      @DefaultValue("Compliance") @NotBlank @Size(max = 100) String firstName,
      @DefaultValue("Officer") @NotBlank @Size(max = 100) String lastName,
      @DefaultValue("") @Size(max = 255) String email,
      @DefaultValue("Compliance officer") @Size(max = 255) String occupation) {}

  /** The reporting entity's address. */
  public record Location(
      @DefaultValue("B") @Size(max = 4) String addressType,
      @DefaultValue("Head office") @NotBlank @Size(max = 255) String address,
      @DefaultValue("Dhaka") @NotBlank @Size(max = 255) String city,
      @DefaultValue("BD") @Pattern(regexp = "[A-Z]{2}") String countryCode) {}

  /**
   * The key that signs report files.
   *
   * @param keystorePath a PKCS#12 keystore; empty: a key generated once and kept under the data directory
   */
  public record Signing(
      @DefaultValue("") String keystorePath,
      @DefaultValue("") String keystorePassword,
      @DefaultValue("") String keyAlias) {}

  /**
   * The monthly STR batch: the previous month's suspicious cases, prepared by {@code deadlineDay}.
   *
   * @param reminderDaysBefore how many days before the deadline the compliance addresses get a reminder
   */
  public record Schedule(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10") @Min(1) @Max(28) int deadlineDay,
      @DefaultValue("3") @Min(0) @Max(27) int reminderDaysBefore,
      @DefaultValue("3600000") @Min(1_000) @Max(86_400_000) long pollMillis) {}

  /**
   * @param thresholdMinor a single transaction over this (minor units of {@code currency}) is listed
   */
  public record LargeValue(
      @DefaultValue("50000") @Min(1) long thresholdMinor,
      @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String currency) {}
}
