package io.vigil.server.transport;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token buckets ({@link RateLimits}): per API key, per client address for requests that end without
 * an authenticated caller, and per client address for sign-in attempts. Each table keeps at most
 * {@code bucketsMax} buckets, the least recently used forgotten first. Each bucket holds
 * {@code capacity} requests (the burst) and is refilled with {@code refillRequests} every
 * {@code refillPeriodSeconds}, continuously.
 */
@Validated
@ConfigurationProperties(prefix = "vigil.rate-limits")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    /** Buckets kept per table (keys, addresses, sign-in addresses); a few hundred bytes each. */
    @DefaultValue("20000") @Min(100) @Max(10_000_000) int bucketsMax,
    /** Every request an API key signs. */
    @DefaultValue @Valid PerKey perKey,
    /** Requests from one address that end without an authenticated caller (no credentials, or a failed authentication). */
    @DefaultValue @Valid PerAddress perAddress,
    /** Sign-in attempts (password, second factor, recovery code, step-up) from one address, whatever their outcome. */
    @DefaultValue @Valid SignInPerAddress signInPerAddress) {

  /** What every bucket of a table holds and how fast it refills. */
  public record Budget(long capacity, long refillRequests, long refillPeriodSeconds) {
    public Budget {
      if (capacity < 1 || refillRequests < 1 || refillPeriodSeconds < 1) {
        throw new IllegalArgumentException("a budget needs a capacity, refill requests and a refill period of at least 1");
      }
    }
  }

  public record PerKey(
      @DefaultValue("20000") @Min(1) @Max(100_000_000) long capacity,
      @DefaultValue("10000") @Min(1) @Max(100_000_000) long refillRequests,
      @DefaultValue("1") @Min(1) @Max(86_400) long refillPeriodSeconds) {
    public Budget budget() {
      return new Budget(capacity, refillRequests, refillPeriodSeconds);
    }
  }

  public record PerAddress(
      @DefaultValue("200") @Min(1) @Max(100_000_000) long capacity,
      @DefaultValue("20") @Min(1) @Max(100_000_000) long refillRequests,
      @DefaultValue("1") @Min(1) @Max(86_400) long refillPeriodSeconds) {
    public Budget budget() {
      return new Budget(capacity, refillRequests, refillPeriodSeconds);
    }
  }

  public record SignInPerAddress(
      @DefaultValue("10") @Min(1) @Max(100_000_000) long capacity,
      @DefaultValue("10") @Min(1) @Max(100_000_000) long refillRequests,
      @DefaultValue("60") @Min(1) @Max(86_400) long refillPeriodSeconds) {
    public Budget budget() {
      return new Budget(capacity, refillRequests, refillPeriodSeconds);
    }
  }
}
