package io.vigil.server.support;

import io.vigil.client.signing.UniqueSeconds;
import io.vigil.server.security.ApiScope;
import io.vigil.server.security.ContentDigest;
import io.vigil.server.security.Permission;
import io.vigil.server.security.RequestSignature;
import io.vigil.server.security.RoutePermissions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The credentials a test client sends with a request: the test key's signature ({@link TestKeys})
 * when an API key may call the route, else the operator session ({@link OperatorSession}) with its
 * CSRF token; a public route goes without. Each signature is unique: a request identical to one
 * signed before (a retry, a poll) gets another second near now ({@link UniqueSeconds}), as a real
 * client must, or it would be a replay.
 */
public final class TestAuth {
  private static final Set<Permission> KEY_PERMISSIONS = ApiScope.permissionsOf(EnumSet.allOf(ApiScope.class));
  private static final UniqueSeconds SECONDS = new UniqueSeconds(240);

  private TestAuth() {}

  /** Header names and values, alternating (as {@code HttpRequest.Builder.headers} takes them). */
  public static List<String> headers(String base, String method, String pathWithQuery, byte[] body) {
    String path = pathOnly(pathWithQuery);
    RoutePermissions.Access access = RoutePermissions.lookup(method, path);
    // A public route (health probes, the contract) goes without credentials, as a probe or a scraper sends it.
    if (access.kind() == RoutePermissions.Access.Kind.PUBLIC) return List.of();
    if (access.kind() == RoutePermissions.Access.Kind.PERMISSION && !KEY_PERMISSIONS.contains(access.permission())) {
      OperatorSession session = OperatorSession.forServer(base);
      if (session != null) {
        List<String> h = new ArrayList<>(List.of("Cookie", session.cookie()));
        if (!method.equals("GET") && !method.equals("HEAD")) h.addAll(List.of("X-CSRF-Token", session.csrfToken()));
        return h;
      }
    }
    return signature(method, pathWithQuery, body);
  }

  /**
   * Who the server records as the actor of this request: the test key's id, or the operator's
   * username when the route needs an operator (null while no operator session is available).
   */
  public static String actor(String base, String method, String pathWithQuery) {
    RoutePermissions.Access access = RoutePermissions.lookup(method, pathOnly(pathWithQuery));
    if (access.kind() == RoutePermissions.Access.Kind.PERMISSION && !KEY_PERMISSIONS.contains(access.permission())) {
      OperatorSession session = OperatorSession.forServer(base);
      if (session != null) return session.username();
    }
    return TestKeys.KEY_ID;
  }

  /** The same as {@code Name: value} header lines, for raw requests. */
  public static List<String> headerLines(String base, String method, String pathWithQuery, byte[] body) {
    List<String> h = headers(base, method, pathWithQuery, body);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < h.size(); i += 2) lines.add(h.get(i) + ": " + h.get(i + 1));
    return lines;
  }

  /** The test key's signature headers for this request, names and values alternating. */
  public static List<String> signature(String method, String pathWithQuery, byte[] body) {
    return signature(TestKeys.KEY_ID, TestKeys.SECRET, method, pathWithQuery, body);
  }

  public static List<String> signature(String keyId, String secret, String method, String pathWithQuery, byte[] body) {
    String digest = body == null || body.length == 0 ? null : ContentDigest.of(body);
    long t = uniqueSecond(keyId + "\n" + method + "\n" + pathWithQuery + "\n" + digest);
    List<String> h = new ArrayList<>(List.of(RequestSignature.KEY_ID_HEADER, keyId, RequestSignature.SIGNATURE_HEADER,
        "t=" + t + ",v1=" + v1(secret, t, method, pathWithQuery, digest)));
    if (digest != null) h.addAll(List.of(ContentDigest.HEADER, digest));
    return h;
  }

  /** The hex HMAC of a request signed at t (seconds) with this secret; digest null when there is no body. */
  public static String v1(String secret, long t, String method, String pathWithQuery, String digest) {
    String signed = RequestSignature.signedString(t, method, pathWithQuery, digest == null ? "" : digest);
    return HexFormat.of().formatHex(RequestSignature.hmac(RequestSignature.hmacKey(secret), signed.getBytes(StandardCharsets.UTF_8)));
  }

  private static long uniqueSecond(String content) {
    return SECONDS.next(content, TestClock.now().getEpochSecond());
  }

  private static String pathOnly(String pathWithQuery) {
    int q = pathWithQuery.indexOf('?');
    String raw = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
    if (raw.startsWith("http://") || raw.startsWith("https://")) return URI.create(raw).getRawPath();
    return raw;
  }
}
