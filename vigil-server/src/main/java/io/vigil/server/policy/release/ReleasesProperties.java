package io.vigil.server.policy.release;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Gray releases and shadow policies ({@code vigil.releases.*}). Bad values fail start-up. docs/rules.md explains each.
 *
 * @param modelChallengerPercent the share of accounts (0–100, by the same stable account hash) the shadow model scores and
 *     acts on as challenger; 0 keeps it a shadow
 */
@Validated
@ConfigurationProperties(prefix = "vigil.releases")
public record ReleasesProperties(
    @DefaultValue @Valid Guard guard,
    @DefaultValue("0") @Min(0) @Max(100) int modelChallengerPercent) {

  /**
   * The guard stops a running release when the candidate policy's interception rate (deny, hold,
   * challenge) or review rate departs from the live policy's by more than the margin, once each
   * has seen at least {@code decisionsMin} decisions.
   *
   * @param enabled whether the guard checks at all
   * @param checkMillis how often it checks (off the decision path)
   * @param interceptionMarginRate the largest accepted difference of interception rates, as a fraction (0.05 = 5 points)
   * @param reviewMarginRate the largest accepted difference of review rates, as a fraction
   * @param decisionsMin decisions each policy must have decided before the guard judges
   */
  public record Guard(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("30000") @Min(100) @Max(3_600_000) long checkMillis,
      @DefaultValue("0.05") @DecimalMin("0.001") @DecimalMax("1.0") double interceptionMarginRate,
      @DefaultValue("0.05") @DecimalMin("0.001") @DecimalMax("1.0") double reviewMarginRate,
      @DefaultValue("500") @Min(1) @Max(10_000_000) long decisionsMin) {}
}
