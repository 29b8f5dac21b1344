package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Content-Digest} header (RFC 9530, {@code sha-256=:<base64>:}) of a signed request's body:
 * the signature covers the header, and the body read is checked against it before anything parses it.
 */
public final class ContentDigest {
  public static final String HEADER = "Content-Digest";
  /** Set on a request whose body has been checked against its digest (the decision body is checked once). */
  static final String CHECKED_ATTRIBUTE = "io.vigil.digestChecked";
  private static final int HEADER_CHARS_MAX = 512;
  /** One digest per thread: looking the algorithm up costs about as much as hashing a decision body. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ContentDigest::newSha256);

  private ContentDigest() {}

  /** The header value for this body. */
  public static String of(byte[] body) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":";
  }

  /**
   * Checks a body just read: a signed request's body must match its {@code Content-Digest} (and a
   * non-empty body must have one); an unsigned request's digest, when it sends one, must match too.
   */
  public static void check(HttpServletRequest request, byte[] body) {
    if (request.getAttribute(CHECKED_ATTRIBUTE) != null) return;
    check(request, sha256(body), body.length);
  }

  /** As {@link #check(HttpServletRequest, byte[])}, for a body streamed elsewhere: its SHA-256 and length. */
  public static void check(HttpServletRequest request, byte[] sha256, long length) {
    String header = request.getHeader(HEADER);
    boolean signed = request.getAttribute(RequestSignature.SIGNED_ATTRIBUTE) != null;
    if (header == null) {
      if (signed && length > 0) throw missing();
      return;
    }
    byte[] claimed = sha256Member(header);
    if (claimed == null || !MessageDigest.isEqual(claimed, sha256)) throw mismatch();
    request.setAttribute(CHECKED_ATTRIBUTE, Boolean.TRUE);
  }

  /** Whether the header's sha-256 member is this body's digest (compared in constant time). */
  public static boolean matches(String header, byte[] body) {
    byte[] claimed = sha256Member(header);
    return claimed != null && MessageDigest.isEqual(claimed, sha256(body));
  }

  /** The digest a header states for sha-256, or null when it states none or is malformed. */
  static byte[] sha256Member(String header) {
    if (header.length() > HEADER_CHARS_MAX) return null;
    for (String member : header.split(",")) {
      String m = member.trim();
      int eq = m.indexOf('=');
      if (eq < 0 || !m.substring(0, eq).trim().equals("sha-256")) continue;
      String value = m.substring(eq + 1).trim();
      if (value.length() < 2 || value.charAt(0) != ':' || value.charAt(value.length() - 1) != ':') return null;
      try {
        byte[] digest = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
        return digest.length == 32 ? digest : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] sha256(byte[] body) {
    return SHA256.get().digest(body);
  }

  public static ApiException missing() {
    return ApiException.unauthenticated("body_digest_mismatch",
        "A signed request with a body needs a Content-Digest header (sha-256) covering it", HEADER);
  }

  public static ApiException mismatch() {
    return ApiException.unauthenticated("body_digest_mismatch",
        "The request body does not match its Content-Digest header; nothing was read or stored", HEADER);
  }
}
