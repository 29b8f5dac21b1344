package io.vigil.server.api;

import io.vigil.engine.Limits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a hard size limit, before any parsing. */
public final class Bodies {
  private Bodies() {}

  public static byte[] read(HttpServletRequest request) {
    long declared = request.getContentLengthLong();
    if (declared > Limits.REQUEST_BODY_BYTES_MAX) throw tooLarge();
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(Limits.REQUEST_BODY_BYTES_MAX + 1);
      if (body.length > Limits.REQUEST_BODY_BYTES_MAX) throw tooLarge();
      return body;
    } catch (IOException e) {
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    }
  }

  private static ApiException tooLarge() {
    return ApiException.invalid("body_too_large",
        "The request body is larger than " + Limits.REQUEST_BODY_BYTES_MAX / 1024 + " KiB", null);
  }
}
