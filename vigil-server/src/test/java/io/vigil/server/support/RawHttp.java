package io.vigil.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for the requests {@code java.net.http} will not send: {@code CONNECT},
 * {@code TRACE}, bad percent-encoding, control characters, a malformed request line or header. Each
 * request is sent as given (with {@code Connection: close}, and the test credentials unless it has its own) and the whole answer read until the
 * server closes the connection.
 */
public final class RawHttp {
  static final int SOCKET_TIMEOUT_MILLIS = 10_000;
  /** Answers longer than this are cut (a test never needs more). */
  static final int ANSWER_BYTES_MAX = 1 << 20;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /** One parsed answer: status, headers (names lower-case) and body (chunked encoding undone). */
  public record Answer(int status, Map<String, String> headers, String body) {
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> error() {
      return (Map<String, Object>) JSON.readValue(body, Map.class).get("error");
    }

    @Override
    public String toString() {
      return status + " " + contentType() + " " + body;
    }
  }

  /**
   * {@code METHOD target HTTP/1.1} with a Host header, the extra header lines given, and no body;
   * with the test credentials ({@link TestAuth}) unless the lines carry credentials of their own.
   */
  public Answer send(String method, String target, String... headerLines) {
    StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    for (String line : headerLines) request.append(line).append("\r\n");
    if (!hasCredentials(List.of(headerLines))) {
      for (String line : TestAuth.headerLines(base(), method, target, null)) request.append(line).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    return sendBytes(request.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** {@code METHOD target HTTP/1.1}, the headers given, and the body as bytes (none when null) with its length. */
  public Answer send(String method, String target, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (!hasCredentials(headers.keySet())) {
      for (String line : TestAuth.headerLines(base(), method, target, body)) head.append(line).append("\r\n");
    }
    if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) request.writeBytes(body);
    return sendBytes(request.toByteArray());
  }

  private String base() {
    return "http://localhost:" + port;
  }

  /** Whether header lines (or names) already carry credentials: a signature or a cookie. */
  private static boolean hasCredentials(Collection<String> headers) {
    for (String h : headers) {
      String name = h.contains(":") ? h.substring(0, h.indexOf(':')).trim() : h;
      if (name.equalsIgnoreCase("Vigil-Key-Id") || name.equalsIgnoreCase("Vigil-Signature") || name.equalsIgnoreCase("Cookie")) {
        return true;
      }
    }
    return false;
  }

  /** Text as a test failure message can show it: ASCII, everything else escaped, at most 200 characters. */
  public static String printable(String text) {
    StringBuilder b = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
      if (b.length() > 200) return b + "…";
    }
    return b.toString();
  }

  /** The bytes as they are: the whole request, request line to body. */
  public Answer sendBytes(byte[] request) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException writeFailed) {
        return answerAfterEarlyClose(socket, writeFailed);
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The server may answer and close before it has read the whole request (an oversized body is
   * refused that way, on purpose), so writing the rest fails. The answer it sent is read if it is
   * still there; when the reset took it, {@link ClosedBeforeAnswer} says so.
   */
  private static Answer answerAfterEarlyClose(Socket socket, IOException writeFailed) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      readInto(socket.getInputStream(), got);
    } catch (IOException readFailed) {
      // What arrived before the reset is in got.
    }
    byte[] raw = got.toByteArray();
    if (indexOf(raw, HEAD_END, 0) < 0) throw new ClosedBeforeAnswer(writeFailed);
    return parse(raw);
  }

  /** The server closed the connection while the request was still being sent, and no answer could be read. */
  public static final class ClosedBeforeAnswer extends UncheckedIOException {
    ClosedBeforeAnswer(IOException cause) {
      super("the server closed the connection before the whole request was sent, and its answer was lost", cause);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    readInto(in, all);
    return all.toByteArray();
  }

  /** Reads until the server closes the connection (or the answer limit), into {@code out}. */
  private static void readInto(InputStream in, ByteArrayOutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    for (int n; out.size() < ANSWER_BYTES_MAX && (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
  }

  private static Answer parse(byte[] raw) {
    int end = indexOf(raw, HEAD_END, 0);
    if (end < 0) throw new IllegalStateException("no complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = Arrays.copyOfRange(raw, end + HEAD_END.length, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = unchunk(body);
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(chunked, CRLF, at);
      int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
      if (size == 0) return out.toByteArray();
      out.write(chunked, lineEnd + CRLF.length, size);
      at = lineEnd + CRLF.length + size + CRLF.length;
    }
  }

  private static int indexOf(byte[] bytes, byte[] part, int from) {
    outer:
    for (int i = from; i <= bytes.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
