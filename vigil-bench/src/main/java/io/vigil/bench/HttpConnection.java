package io.vigil.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import io.vigil.client.signing.VigilSigner;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One persistent HTTP/1.1 keep-alive connection over a plain socket: just enough of the protocol
 * to POST a JSON body and read the response (status line, headers, a Content-Length, chunked or
 * read-until-close body, which is discarded). Reconnects lazily after the server closes the
 * connection or an error. With a {@link VigilSigner}, each request is signed as it is built (the
 * signature's timestamp is the wall clock at that moment). Not thread-safe: one worker owns one connection.
 */
final class HttpConnection implements Closeable {
  private static final int LINE_CHARS_MAX = 8_192;
  private static final int HEADERS_MAX = 100;

  private final String host;
  private final int port;
  private final String hostHeader;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final byte[] skipBuffer = new byte[8_192];
  private final StringBuilder line = new StringBuilder(128);
  private volatile Socket socket;
  private InputStream in;
  private OutputStream out;
  private long connectsTotal;
  private final VigilSigner signer;

  HttpConnection(String host, int port, int connectTimeoutMillis, int readTimeoutMillis) {
    this(host, port, connectTimeoutMillis, readTimeoutMillis, null);
  }

  /** A connection that signs every request with {@code signer} (null: unsigned). */
  HttpConnection(String host, int port, int connectTimeoutMillis, int readTimeoutMillis, VigilSigner signer) {
    this.signer = signer;
    this.host = host;
    this.port = port;
    this.hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  /** Connects now if not connected; throws when the server cannot be reached. */
  void connect() throws IOException {
    if (socket != null) return;
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      s.setSoTimeout(readTimeoutMillis);
    } catch (IOException e) {
      s.close();
      ConnectException failure = new ConnectException("cannot connect to " + hostHeader + ": " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16_384);
    out = s.getOutputStream();
    connectsTotal++;
  }

  long connectsTotal() {
    return connectsTotal;
  }

  /**
   * Sends {@code POST path} with a JSON body and reads the whole response; returns the status
   * code. A request that fails on a reused connection before any response byte arrived (the
   * server closed an idle keep-alive connection) is sent once more on a new connection; the
   * server deduplicates by event id, so the retry is safe.
   */
  int post(String path, byte[] body) throws IOException {
    byte[] request = request(path, body);
    boolean reused = socket != null;
    try {
      return exchange(request);
    } catch (StaleConnectionException e) {
      close();
      if (!reused) throw e;
      return exchange(request);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private int exchange(byte[] request) throws IOException {
    connect();
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      throw new StaleConnectionException(e);
    }
    int first = in.read();
    if (first < 0) throw new StaleConnectionException(new EOFException("connection closed before the response"));
    line.setLength(0);
    line.append((char) first);
    int status;
    boolean closeAfter;
    while (true) {
      readLine(true);
      status = parseStatus(line);
      closeAfter = line.indexOf("HTTP/1.0") == 0;
      ResponseHeaders headers = readHeaders();
      if (headers.connectionClose) closeAfter = true;
      if (status >= 100 && status < 200) {
        line.setLength(0);
        continue; // 100 Continue and friends carry no body; the real response follows.
      }
      if (status == 204 || status == 304) {
        // no body
      } else if (headers.chunked) {
        skipChunkedBody();
      } else if (headers.contentLength >= 0) {
        skip(headers.contentLength);
      } else {
        while (in.read(skipBuffer) >= 0) {
          // body delimited by the end of the connection
        }
        closeAfter = true;
      }
      break;
    }
    if (closeAfter) close();
    return status;
  }

  private byte[] request(String path, byte[] body) {
    String head = "POST " + path + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Accept: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + signatureHeaders(path, body)
        + "\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  private String signatureHeaders(String path, byte[] body) {
    if (signer == null) return "";
    StringBuilder b = new StringBuilder(256);
    for (Map.Entry<String, String> h : signer.headers("POST", path, body).entrySet()) {
      b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    return b.toString();
  }

  private record ResponseHeaders(long contentLength, boolean chunked, boolean connectionClose) {}

  private ResponseHeaders readHeaders() throws IOException {
    long contentLength = -1;
    boolean chunked = false;
    boolean connectionClose = false;
    for (int n = 0; ; n++) {
      if (n > HEADERS_MAX) throw new IOException("more than " + HEADERS_MAX + " response headers");
      line.setLength(0);
      readLine(false);
      if (line.length() == 0) break;
      int colon = line.indexOf(":");
      if (colon <= 0) throw new IOException("malformed response header");
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length");
        }
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        connectionClose = value.toLowerCase(java.util.Locale.ROOT).contains("close");
      }
    }
    return new ResponseHeaders(contentLength, chunked, connectionClose);
  }

  private void skipChunkedBody() throws IOException {
    while (true) {
      line.setLength(0);
      readLine(false);
      int end = line.indexOf(";");
      String size = (end >= 0 ? line.substring(0, end) : line.toString()).trim();
      long chunkBytes;
      try {
        chunkBytes = Long.parseLong(size, 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size");
      }
      if (chunkBytes == 0) break;
      skip(chunkBytes);
      line.setLength(0);
      readLine(false); // CRLF after the chunk data
    }
    do { // trailers, up to the empty line
      line.setLength(0);
      readLine(false);
    } while (line.length() > 0);
  }

  private void skip(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      int n = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, left));
      if (n < 0) throw new EOFException("connection closed inside the response body");
      left -= n;
    }
  }

  /** Appends one line (without CRLF) to {@link #line}. */
  private void readLine(boolean keepPrefix) throws IOException {
    if (!keepPrefix) line.setLength(0);
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("connection closed inside the response head");
      if (c == '\n') break;
      if (c != '\r') line.append((char) c);
      if (line.length() > LINE_CHARS_MAX) throw new IOException("response line too long");
    }
  }

  static int parseStatus(CharSequence statusLine) throws IOException {
    // "HTTP/1.1 200 OK"
    String s = statusLine.toString();
    if (!s.startsWith("HTTP/1.") || s.length() < 12 || s.charAt(8) != ' ') {
      throw new IOException("malformed status line");
    }
    try {
      return Integer.parseInt(s.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("malformed status code");
    }
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** The connection failed before the server sent anything back. */
  static final class StaleConnectionException extends IOException {
    StaleConnectionException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
