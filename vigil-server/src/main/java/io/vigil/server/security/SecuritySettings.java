package io.vigil.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The security core's settings, under {@code vigil.security}. Documented in the README's settings
 * table and docs/operations.md.
 *
 * @param signatureToleranceSeconds how far a signed request's timestamp may be from the server's clock, either way
 * @param replayEntriesMax signatures the replay guard remembers at most (8 bytes each plus table slack); when
 *     full, signed requests are refused with 503 until old ones age out
 * @param secretsKeysetFile the Tink keyset that seals secret material; empty means {@code <data-dir>/keys/secrets.keyset.json}
 * @param keyRefreshSeconds how often the in-memory key table is reloaded from the store (keys changed by another instance)
 * @param demoApiKey the key created on first start when the store holds none
 */
@Validated
@ConfigurationProperties(prefix = "vigil.security")
public record SecuritySettings(
    @DefaultValue("300") @Min(1) @Max(3_600) int signatureToleranceSeconds,
    @DefaultValue("8000000") @Min(10_000) @Max(100_000_000) int replayEntriesMax,
    @DefaultValue("") String secretsKeysetFile,
    @DefaultValue("30") @Min(1) @Max(3_600) int keyRefreshSeconds,
    @DefaultValue @Valid DemoApiKey demoApiKey) {

  /**
   * @param enabled create the demo key on first start (when the store holds no key)
   * @param id the demo key's id ({@code vk_} and 8-64 letters, digits or {@code _}); empty: a random one
   * @param secret the demo key's secret (at least 32 characters); empty: a random one, printed once
   * @param scopes the demo key's scopes
   */
  public record DemoApiKey(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("") @Pattern(regexp = "|vk_[A-Za-z0-9_]{8,64}") String id,
      @DefaultValue("") @Pattern(regexp = "|[\\x21-\\x7e]{32,256}") String secret,
      @DefaultValue({"decide", "feedback", "self_service", "read"}) List<@Pattern(regexp = "decide|feedback|self_service|read|admin") String> scopes) {}
}
