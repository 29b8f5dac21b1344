package io.vigil.server.transport;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where plain HTTP may be served. Vigil binds {@code server.address=127.0.0.1} by default; serving
 * plain HTTP on any other address (another host could read API keys' signatures, session cookies and
 * payment data on the wire) needs {@code allowPlainHttpOnPublicAddress}, for a network where a proxy
 * in front terminates TLS. Without it, the server refuses to start ({@link BindCheck}).
 */
@ConfigurationProperties(prefix = "vigil.http")
public record BindProperties(@DefaultValue("false") boolean allowPlainHttpOnPublicAddress) {}
