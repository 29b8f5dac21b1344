package io.vigil.server.api;

import io.vigil.engine.Limits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a hard size limit, before any parsing. */
public final class Bodies {
  private Bodies() {}

  public static byte[] read(HttpServletRequest request) {
    return read(request, Limits.REQUEST_BODY_BYTES_MAX);
  }

  /** A body of at most bytesMax (model uploads are larger than JSON requests). */
  public static byte[] read(HttpServletRequest request, int bytesMax) {
    long declared = request.getContentLengthLong();
    if (declared > bytesMax) throw tooLarge(bytesMax);
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(bytesMax + 1);
      if (body.length > bytesMax) throw tooLarge(bytesMax);
      return body;
    } catch (IOException e) {
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    }
  }

  private static ApiException tooLarge(int bytesMax) {
    return ApiException.invalid("body_too_large", "The request body is larger than " + bytesMax / 1024 + " KiB", null);
  }
}
