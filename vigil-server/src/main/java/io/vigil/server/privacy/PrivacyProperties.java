package io.vigil.server.privacy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Personal data at rest ({@code vigil.privacy.*}, docs/security.md#personal-data-at-rest).
 *
 * @param keysetFile the master keyset that wraps every person's data key; empty means
 *     {@code <data-dir>/keys/personal-data.keyset.json}
 * @param lookupKeysetFile the HMAC keyset of the keyed hashes (list lookups, request hashes); empty
 *     means {@code <data-dir>/keys/personal-data-lookup.keyset.json}
 * @param dataKeyCacheEntries unwrapped data keys kept in memory
 */
@Validated
@ConfigurationProperties(prefix = "vigil.privacy")
public record PrivacyProperties(
    @DefaultValue("") String keysetFile,
    @DefaultValue("") String lookupKeysetFile,
    @DefaultValue("100000") @Min(100) @Max(10_000_000) int dataKeyCacheEntries) {

  public Path keysetPath(String dataDir) {
    return keysetFile.isEmpty() ? Path.of(dataDir, "keys", "personal-data.keyset.json") : Path.of(keysetFile);
  }

  public Path lookupKeysetPath(String dataDir) {
    return lookupKeysetFile.isEmpty() ? Path.of(dataDir, "keys", "personal-data-lookup.keyset.json") : Path.of(lookupKeysetFile);
  }
}
