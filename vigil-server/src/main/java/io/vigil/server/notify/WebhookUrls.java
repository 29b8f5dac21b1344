package io.vigil.server.notify;

import io.vigil.server.api.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a webhook endpoint's URL may be: absolute {@code https} (or {@code http}, for tests and
 * internal networks), with a host, without user info or fragment, at most {@value #CHARS_MAX}
 * characters. Redirects are never followed when delivering, so the URL is where the events go.
 */
final class WebhookUrls {
  static final int CHARS_MAX = 2048;

  private WebhookUrls() {}

  /** The URL as given, or {@code 400 invalid_url} naming param. */
  static String check(String url, String param) {
    if (url.length() > CHARS_MAX) throw ApiException.invalid("value_too_long", param + " must be at most " + CHARS_MAX + " characters", param);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(param, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) throw invalid(param, "must start with https:// (or http://)");
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) throw invalid(param, "needs a host");
    if (uri.getRawUserInfo() != null) throw invalid(param, "must not hold a user name or password");
    if (uri.getRawFragment() != null) throw invalid(param, "must not have a fragment (#...)");
    if (uri.getPort() == 0 || uri.getPort() > 65_535) throw invalid(param, "has a port out of range");
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7f) throw invalid(param, "must not hold spaces or control characters");
    }
    return url;
  }

  private static ApiException invalid(String param, String why) {
    return ApiException.invalid("invalid_url", param + " " + why, param);
  }
}
