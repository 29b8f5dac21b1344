package io.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A request the server cannot parse is refused without its request line, and the values in it, reaching the log. */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogApiTest extends SharedServerBase {
  static final String EMAIL = "ann@probe.io";
  static final int SOCKET_TIMEOUT_MILLIS = 10_000;

  @Test
  void aMalformedRequestLineIsRefusedAndNotLogged(CapturedOutput output) throws IOException {
    // '{' is not allowed in a request target: Tomcat refuses the request before any controller sees it.
    String reply = send("GET /v1/reference/lookup?email_domain=" + EMAIL + "&x={y} HTTP/1.1\r\nHost: localhost\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 400");
    assertThat(LoggerFactory.getLogger("org.apache.coyote.http11.Http11Processor").isInfoEnabled())
        .as("Tomcat's parse errors, which quote the request line, are not logged").isFalse();
    assertThat(output.getAll()).doesNotContain(EMAIL);
  }

  private String send(String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(64), StandardCharsets.US_ASCII);
    }
  }
}
