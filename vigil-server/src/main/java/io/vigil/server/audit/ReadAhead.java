package io.vigil.server.audit;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A small request body read before the route runs, served again to the route: for sign-in requests,
 * whose claimed username the trail records even when no route reads the body (a refused or unknown
 * sign-in route). Only a body that declares a length within the bound is read ahead.
 */
final class ReadAhead extends HttpServletRequestWrapper {
  private final byte[] body;

  private ReadAhead(HttpServletRequest request, byte[] body) {
    super(request);
    this.body = body;
  }

  /** The request with its body read ahead, or the request itself when its length is unknown, 0 or over bytesMax. */
  static HttpServletRequest of(HttpServletRequest request, int bytesMax) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared <= 0 || declared > bytesMax) return request;
    try (InputStream in = request.getInputStream()) {
      return new ReadAhead(request, in.readNBytes((int) declared));
    }
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("a body read ahead is read blocking");
      }
    };
  }
}
