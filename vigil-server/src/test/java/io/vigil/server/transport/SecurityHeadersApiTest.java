package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.VigilApplication;
import io.vigil.server.support.RawHttp;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestKeys;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The security headers on every kind of answer over plain HTTP: a route's, the error page's, Tomcat's
 * own refusal before any servlet runs, a filter's. And the default binding: loopback only.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "vigil.decisions.admission-budget-millis=1500")
@Import(TestClockConfiguration.class)
class SecurityHeadersApiTest {
  @LocalServerPort
  int port;

  @Autowired
  WebServerApplicationContext context;

  RawHttp raw;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("vigil-headers-");
    dir.toFile().deleteOnExit();
    registry.add("vigil.data-dir", dir::toString);
    TestKeys.properties().forEach((name, value) -> registry.add(name, () -> value));
  }

  @BeforeEach
  void client() {
    raw = new RawHttp(port);
  }

  static void assertSecurityHeaders(Map<String, String> headers) {
    assertThat(headers).containsEntry("content-security-policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")
        .containsEntry("x-content-type-options", "nosniff")
        .containsEntry("referrer-policy", "no-referrer")
        .containsEntry("x-frame-options", "DENY")
        .containsEntry("cache-control", "no-store");
  }

  private void assertAnswer(RawHttp.Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertSecurityHeaders(answer.headers());
    assertThat(answer.headers()).as("no HSTS over plain HTTP").doesNotContainKey("strict-transport-security");
  }

  @Test
  void aRoutesAnswerCarriesThem() {
    assertAnswer(raw.send("GET", "/v1/openapi.json"), 200);
    assertAnswer(raw.send("GET", "/actuator/health"), 200);
  }

  /** A request signed with the test key (as {@link RawHttp} signs by itself), so that it reaches the route behind the security chain. */
  private RawHttp.Answer signed(String method, String target, String contentType, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (contentType != null) headers.put("Content-Type", contentType);
    List<String> auth = TestAuth.signature(method, target, body);
    for (int i = 0; i < auth.size(); i += 2) headers.put(auth.get(i), auth.get(i + 1));
    return raw.send(method, target, headers, body);
  }

  @Test
  void errorAnswersCarryThemWhereverTheyAreWritten() {
    RawHttp.Answer unauthenticated = raw.sendBytes(
        "GET /v1/decisions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertAnswer(unauthenticated, 401); // the security chain: no credentials
    assertAnswer(signed("GET", "/v1/no-such-path", null, null), 404);
    assertAnswer(signed("DELETE", "/v1/decisions", null, null), 405);
    assertAnswer(raw.send("TRACE", "/v1/openapi.json"), 405); // Tomcat refuses TRACE; the error page answers
    assertAnswer(raw.send("GET", "/v1/decisions/%2F..%2F"), 400); // Tomcat refuses an encoded slash before any servlet
    assertAnswer(raw.send("GET", "/v1/decisions?x=%ZZ"), 400); // an undecodable query string
    byte[] tooLarge = ("{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer large = signed("POST", "/v1/decisions", "application/json", tooLarge);
    assertAnswer(large, 400);
    assertThat(large.error()).containsEntry("code", "body_too_large");
    assertAnswer(signed("POST", "/v1/decisions", "application/json", "{".getBytes(StandardCharsets.UTF_8)), 400);
  }

  @Test
  void theServerListensOnLoopbackOnlyByDefault() throws IOException {
    InetAddress bound = (InetAddress) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProperty("address");
    assertThat(bound).isNotNull();
    assertThat(bound.isLoopbackAddress()).as("bound to %s", bound).isTrue();
    List<InetAddress> others = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList();
    for (InetAddress other : others) {
      assertThatThrownBy(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(other, port), 2_000);
        }
      }).as("connecting on %s", other).isInstanceOf(ConnectException.class);
    }
  }
}
