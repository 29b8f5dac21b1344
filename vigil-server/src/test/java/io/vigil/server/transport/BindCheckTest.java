package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.web.server.Ssl;

class BindCheckTest {
  @Test
  void plainHttpOnAnyAddressButLoopbackIsRefusedWithoutTheFlag() throws Exception {
    for (InetAddress address : new InetAddress[] {null, InetAddress.getByName("0.0.0.0"), InetAddress.getByName("192.0.2.10"),
        InetAddress.getByName("::")}) {
      assertThatThrownBy(() -> BindCheck.check("server.address", address, false, false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("server.address binds")
          .hasMessageContaining("plain HTTP")
          .hasMessageContaining("vigil.http.allow-plain-http-on-public-address=true")
          .hasMessageContaining("server.ssl.bundle");
    }
  }

  @Test
  void loopbackTlsOrTheExplicitFlagMayStart() throws Exception {
    assertThatCode(() -> BindCheck.check("server.address", InetAddress.getByName("127.0.0.1"), false, false)).doesNotThrowAnyException();
    assertThatCode(() -> BindCheck.check("server.address", InetAddress.getByName("::1"), false, false)).doesNotThrowAnyException();
    assertThatCode(() -> BindCheck.check("server.address", null, true, false)).doesNotThrowAnyException();
    assertThatCode(() -> BindCheck.check("server.address", null, false, true)).doesNotThrowAnyException();
  }

  @Test
  void tlsWithoutVigilsProtocolsAndSuitesDoesNotStart() {
    DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
    bundles.registerBundle("bare", SslBundle.of(SslStoreBundle.NONE));
    bundles.registerBundle("set", SslBundle.of(SslStoreBundle.NONE, SslBundleKey.NONE,
        SslOptions.of(new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLSv1.3"})));
    assertThatThrownBy(() -> TransportConfiguration.checkTlsOptions(Ssl.forBundle("bare"), bundles))
        .hasMessageContaining("protocols or cipher suites are not set");
    assertThatCode(() -> TransportConfiguration.checkTlsOptions(Ssl.forBundle("set"), bundles)).doesNotThrowAnyException();
  }
}
