package io.vigil.server.transport;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The TLS defaults Vigil applies whenever TLS is on ({@link TlsDefaults}): the protocol versions and
 * cipher suites of every SSL bundle and of {@code server.ssl}, unless a bundle names its own options;
 * and the {@code Strict-Transport-Security} header sent on every answer over HTTPS.
 */
@Validated
@ConfigurationProperties(prefix = "vigil.tls")
public record TlsProperties(
    /** TLS 1.3 and 1.2 only. */
    @DefaultValue({"TLSv1.3", "TLSv1.2"}) @NotEmpty List<String> enabledProtocols,
    /** Forward secrecy (ECDHE) with an AEAD cipher (AES-GCM, ChaCha20-Poly1305): no CBC, no RSA key exchange, no SHA-1. */
    @DefaultValue({
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}) @NotEmpty List<String> ciphers,
    /** {@code Strict-Transport-Security: max-age=} on answers over HTTPS; 0 sends none. */
    @DefaultValue("31536000") @Min(0) @Max(63_072_000) long hstsMaxAgeSeconds,
    @DefaultValue("true") boolean hstsIncludeSubdomains) {}
