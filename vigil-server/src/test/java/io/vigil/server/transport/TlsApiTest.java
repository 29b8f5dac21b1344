package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.VigilApplication;
import io.vigil.server.support.TestClockConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * A server over HTTPS with a PEM bundle made for the test: TLS 1.3 and 1.2 with a strong suite are
 * accepted, TLS 1.1, CBC suites and RSA key exchange refused (checked with the openssl client, which
 * offers them when asked), HSTS sent, and a replaced certificate served without a restart. The server
 * binds every interface: allowed, since TLS is on.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "vigil.decisions.admission-budget-millis=1500",
    "vigil.data-dir=" + TlsApiTest.DIR + "/data",
    "server.address=0.0.0.0",
    "server.ssl.bundle=vigil",
    "spring.ssl.bundle.pem.vigil.keystore.certificate=file:" + TlsApiTest.DIR + "/cert.pem",
    "spring.ssl.bundle.pem.vigil.keystore.private-key=file:" + TlsApiTest.DIR + "/key.pem",
    "spring.ssl.bundle.pem.vigil.reload-on-update=true",
    "spring.ssl.bundle.watch.file.quiet-period=500ms"})
@Import(TestClockConfiguration.class)
class TlsApiTest {
  static final String DIR = "target/transport-tls";
  private static final Path CERT = Path.of(DIR, "cert.pem");
  private static final Path KEY = Path.of(DIR, "key.pem");

  static {
    try {
      Files.createDirectories(Path.of(DIR, "data"));
      TestCertificates.write(CERT, KEY, "vigil-test-first");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  SslBundles bundles;

  /** Accepts the test's own self-signed certificates; the tests read the certificate presented. */
  private static final X509TrustManager ANY = new X509TrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };

  private SSLSocket connect(String protocol, String cipher) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {ANY}, new SecureRandom());
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setEnabledProtocols(new String[] {protocol});
    if (cipher != null) socket.setEnabledCipherSuites(new String[] {cipher});
    socket.startHandshake();
    return socket;
  }

  private static Map<String, String> headersOf(SSLSocket socket, String path) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    String head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
    Map<String, String> headers = new HashMap<>();
    String[] lines = head.split("\r\n");
    headers.put(":status", lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return headers;
  }

  private TestCertificates.Result openssl(String... options) throws Exception {
    String[] command = new String[options.length + 4];
    command[0] = "openssl";
    command[1] = "s_client";
    command[2] = "-connect";
    command[3] = "127.0.0.1:" + port;
    System.arraycopy(options, 0, command, 4, options.length);
    return TestCertificates.run(command);
  }

  @Test
  void tls13AndTls12WithAStrongSuiteAreAcceptedAndAnswersCarryHsts() throws Exception {
    try (SSLSocket socket = connect("TLSv1.3", null)) {
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      Map<String, String> headers = headersOf(socket, "/v1/openapi.json");
      assertThat(headers).containsEntry(":status", "200")
          .containsEntry("strict-transport-security", "max-age=31536000; includeSubDomains");
      SecurityHeadersApiTest.assertSecurityHeaders(headers);
    }
    for (String cipher : new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}) {
      try (SSLSocket socket = connect("TLSv1.2", cipher)) {
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(socket.getSession().getCipherSuite()).isEqualTo(cipher);
        Map<String, String> headers = headersOf(socket, "/v1/decisions");
        assertThat(headers).as("no credentials").containsEntry(":status", "401").containsKey("strict-transport-security");
        SecurityHeadersApiTest.assertSecurityHeaders(headers);
      }
    }
  }

  @Test
  void tls11CbcSuitesAndRsaKeyExchangeAreRefusedByTheServer() throws Exception {
    TestCertificates.Result tls11 = openssl("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
    assertThat(tls11.status()).as(tls11.output()).isNotZero();
    assertThat(tls11.output()).as("the server's alert, not the client's own refusal").contains("alert protocol version");

    TestCertificates.Result cbc = openssl("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA");
    assertThat(cbc.status()).as(cbc.output()).isNotZero();
    assertThat(cbc.output()).contains("alert handshake failure");

    TestCertificates.Result rsa = openssl("-tls1_2", "-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384");
    assertThat(rsa.status()).as(rsa.output()).isNotZero();
    assertThat(rsa.output()).contains("alert handshake failure");

    TestCertificates.Result strong = openssl("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
    assertThat(strong.output()).as("the same client with a strong suite").contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256");
  }

  @Test
  void theBundleCarriesVigilsProtocolsAndSuites() {
    SslOptions options = bundles.getBundle("vigil").getOptions();
    assertThat(options.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    assertThat(options.getCiphers()).isNotEmpty().allSatisfy(cipher -> {
      assertThat(cipher).matches("TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256|ECDHE_(RSA|ECDSA)_WITH_.*)");
      assertThat(cipher).doesNotContain("CBC").doesNotEndWith("_SHA");
    });
  }

  @Test
  void aReplacedCertificateIsServedWithoutARestart() throws Exception {
    X509Certificate before = presented();
    TestCertificates.write(CERT, KEY, "vigil-test-renewed");
    X509Certificate expected = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(CERT)));
    assertThat(expected.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    long deadline = System.nanoTime() + 30_000_000_000L;
    X509Certificate now = before;
    while (System.nanoTime() < deadline && !now.getSerialNumber().equals(expected.getSerialNumber())) {
      Thread.sleep(200); // waiting for the file watcher, not for time to pass
      now = presented();
    }
    assertThat(now.getSubjectX500Principal().getName()).isEqualTo("CN=vigil-test-renewed");
    assertThat(now.getSerialNumber()).isEqualTo(expected.getSerialNumber());
    try (SSLSocket socket = connect("TLSv1.3", null)) {
      assertThat(headersOf(socket, "/actuator/health")).containsEntry(":status", "200");
    }
    assertThat(Set.of(connect("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").getSession().getProtocol()))
        .as("the reloaded bundle keeps Vigil's protocols").containsExactly("TLSv1.2");
    TestCertificates.Result cbc = openssl("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256");
    assertThat(cbc.output()).as("and refuses CBC still").contains("alert handshake failure");
  }

  private X509Certificate presented() {
    try (SSLSocket socket = connect("TLSv1.3", null)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
