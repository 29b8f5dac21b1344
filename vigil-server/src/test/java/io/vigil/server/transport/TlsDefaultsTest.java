package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TlsDefaultsTest {
  private static final String STRONG = "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256,"
      + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,"
      + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new TlsDefaults().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void everyBundleGetsTls13And12AndStrongCiphersUnlessItNamesItsOwn() {
    StandardEnvironment environment = environment(Map.of(
        "spring.ssl.bundle.pem.web.keystore.certificate", "file:/tmp/cert.pem",
        "spring.ssl.bundle.jks.store.keystore.location", "file:/tmp/store.p12",
        "spring.ssl.bundle.pem.own.keystore.certificate", "file:/tmp/other.pem",
        "spring.ssl.bundle.pem.own.options.enabled-protocols", "TLSv1.3"));
    assertThat(environment.getProperty("spring.ssl.bundle.pem.web.options.enabled-protocols")).isEqualTo("TLSv1.3,TLSv1.2");
    assertThat(environment.getProperty("spring.ssl.bundle.pem.web.options.ciphers")).isEqualTo(STRONG);
    assertThat(environment.getProperty("spring.ssl.bundle.jks.store.options.enabled-protocols")).isEqualTo("TLSv1.3,TLSv1.2");
    assertThat(environment.getProperty("spring.ssl.bundle.pem.own.options.enabled-protocols")).isEqualTo("TLSv1.3");
    assertThat(STRONG).doesNotContain("CBC").doesNotContain("_SHA,").doesNotContain("TLS_RSA_").doesNotContain("_DHE_");
    assertThat(environment.getProperty("server.ssl.ciphers")).as("the key material is in bundles").isNull();
  }

  @Test
  void serverSslKeyMaterialGetsTheDefaultsAndNoTlsMeansNoServerSslProperty() {
    assertThat(environment(Map.of("server.ssl.certificate", "file:/tmp/cert.pem")).getProperty("server.ssl.enabled-protocols"))
        .isEqualTo("TLSv1.3,TLSv1.2");
    StandardEnvironment plain = environment(Map.of("server.port", "8080"));
    assertThat(plain.getProperty("server.ssl.enabled-protocols")).as("would turn TLS on without key material").isNull();
    assertThat(plain.getPropertySources().contains(TlsDefaults.SOURCE_NAME)).isFalse();
  }

  @Test
  void theOperatorChoosesOtherDefaultsWithVigilTls() {
    StandardEnvironment environment = environment(Map.of("spring.ssl.bundle.pem.web.keystore.certificate", "file:/tmp/cert.pem",
        "vigil.tls.enabled-protocols", "TLSv1.3", "vigil.tls.ciphers", "TLS_AES_256_GCM_SHA384"));
    assertThat(environment.getProperty("spring.ssl.bundle.pem.web.options.enabled-protocols")).isEqualTo("TLSv1.3");
    assertThat(environment.getProperty("spring.ssl.bundle.pem.web.options.ciphers")).isEqualTo("TLS_AES_256_GCM_SHA384");
  }
}
