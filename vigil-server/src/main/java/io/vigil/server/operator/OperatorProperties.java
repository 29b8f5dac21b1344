package io.vigil.server.operator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Operator accounts: password policy, lockout, second factor and sessions ({@code vigil.operators.*}).
 * Bad values fail start-up. docs/security.md explains each.
 */
@Validated
@ConfigurationProperties(prefix = "vigil.operators")
public record OperatorProperties(
    @DefaultValue @Valid Password password,
    @DefaultValue @Valid Lockout lockout,
    @DefaultValue @Valid Totp totp,
    @DefaultValue @Valid Sessions sessions,
    @DefaultValue @Valid Sso sso) {

  /**
   * @param minLength fewest characters a password may have
   * @param requireUpper at least one upper-case letter
   * @param requireLower at least one lower-case letter
   * @param requireDigit at least one digit
   * @param requireSymbol at least one character that is neither a letter nor a digit
   * @param bcryptCost BCrypt's log2 work factor (12: 0.75 s per check on a busy 2-core machine)
   */
  public record Password(
      @DefaultValue("8") @Min(8) @Max(PasswordPolicy.LENGTH_MAX) int minLength,
      @DefaultValue("true") boolean requireUpper,
      @DefaultValue("true") boolean requireLower,
      @DefaultValue("true") boolean requireDigit,
      @DefaultValue("true") boolean requireSymbol,
      @DefaultValue("12") @Min(4) @Max(16) int bcryptCost) {}

  /**
   * @param failuresMax wrong passwords or codes within {@code windowSeconds} that lock the account
   * @param windowSeconds how far back failures count
   * @param lockSeconds how long a temporary lock lasts
   * @param lockoutsMax the temporary lock that makes it permanent (until an administrator unlocks)
   */
  public record Lockout(
      @DefaultValue("5") @Min(1) @Max(100) int failuresMax,
      @DefaultValue("900") @Min(10) @Max(86_400) long windowSeconds,
      @DefaultValue("900") @Min(10) @Max(86_400) long lockSeconds,
      @DefaultValue("3") @Min(1) @Max(100) int lockoutsMax) {}

  /** @param issuer the name authenticator apps show beside the account */
  public record Totp(@DefaultValue("Vigil") @NotBlank @Size(max = 64) String issuer) {}

  /**
   * @param idleTimeoutSeconds a session unused this long ends
   * @param absoluteTimeoutSeconds a session ends this long after sign-in, used or not
   * @param loginTimeoutSeconds a half-finished sign-in (password given, second factor pending) ends after this
   */
  public record Sessions(
      @DefaultValue("1800") @Min(60) @Max(86_400) long idleTimeoutSeconds,
      @DefaultValue("43200") @Min(300) @Max(604_800) long absoluteTimeoutSeconds,
      @DefaultValue("300") @Min(30) @Max(3_600) long loginTimeoutSeconds) {}

  /**
   * Single sign-on with an OpenID Connect provider (authorization code with PKCE). The provider's
   * group membership decides the roles: {@code groupRoles} maps a group name to role codes.
   *
   * @param enabled offer {@code GET /v1/auth/sso/authorization/vigil}; needs issuer and client id
   * @param issuer the provider's issuer URL (its discovery document is read at start-up)
   * @param clientId the client id Vigil is registered with at the provider
   * @param clientSecret its secret (empty for a public client)
   * @param usernameClaim the ID token claim that is the operator's username
   * @param groupsClaim the claim listing the operator's groups
   * @param groupRoles group name to the roles it gives
   */
  public record Sso(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("") @Size(max = 512) String issuer,
      @DefaultValue("") @Size(max = 256) String clientId,
      @DefaultValue("") @Size(max = 512) String clientSecret,
      @DefaultValue("preferred_username") @NotBlank String usernameClaim,
      @DefaultValue("groups") @NotBlank String groupsClaim,
      Map<String, List<String>> groupRoles) {
    public Sso {
      groupRoles = groupRoles == null ? Map.of() : Map.copyOf(groupRoles);
      if (enabled && (issuer.isBlank() || clientId.isBlank())) {
        throw new IllegalArgumentException("vigil.operators.sso.enabled needs vigil.operators.sso.issuer and client-id");
      }
    }
  }
}
