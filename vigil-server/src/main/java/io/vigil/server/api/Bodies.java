package io.vigil.server.api;

import io.vigil.engine.Limits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * Reads request bodies with a hard size limit, before any parsing, and within the body deadline
 * ({@link Deadlines}): a body still arriving when its deadline passes is refused with {@code 408
 * body_timeout} and its connection closed. Each read waits at most the connector's read timeout,
 * so a body that trickles in holds its thread at most that much past its deadline.
 */
public final class Bodies {
  private static final int CHUNK_BYTES = 8_192;

  private Bodies() {}

  /** A JSON body, at most {@link Limits#REQUEST_BODY_BYTES_MAX}; read already when {@link BodyPrefetch} took it in. */
  public static byte[] read(HttpServletRequest request) {
    if (request.getAttribute(BodyPrefetch.BODY_ATTRIBUTE) instanceof byte[] prefetched) return prefetched;
    return read(request, Limits.REQUEST_BODY_BYTES_MAX, false);
  }

  /** A large body of at most bytesMax (model uploads, list imports), within the upload deadline. */
  public static byte[] read(HttpServletRequest request, int bytesMax) {
    return read(request, bytesMax, true);
  }

  private static byte[] read(HttpServletRequest request, int bytesMax, boolean upload) {
    long declared = request.getContentLengthLong();
    if (declared > bytesMax) throw tooLarge(bytesMax);
    ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, CHUNK_BYTES)));
    byte[] chunk = new byte[CHUNK_BYTES];
    try (InputStream in = request.getInputStream()) {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        body.write(chunk, 0, n);
        if (body.size() > bytesMax) throw tooLarge(bytesMax);
        if (Deadlines.bodyNanosLeft(request, upload) <= 0) throw timedOut(request);
      }
      return body.toByteArray();
    } catch (IOException e) {
      if (causedByTimeout(e)) throw timedOut(request);
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    }
  }

  /** Refuses the body and tells the connector not to read the rest of it (the connection is closed). */
  private static ApiException timedOut(HttpServletRequest request) {
    request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE);
    return Deadlines.bodyTimeout();
  }

  static boolean causedByTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) return true;
    }
    return false;
  }

  static ApiException tooLarge(int bytesMax) {
    return ApiException.invalid("body_too_large", "The request body is larger than " + bytesMax / 1024 + " KiB", null);
  }
}
