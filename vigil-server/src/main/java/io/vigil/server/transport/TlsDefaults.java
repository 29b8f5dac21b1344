package io.vigil.server.transport;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every SSL bundle ({@code spring.ssl.bundle.pem.*}, {@code spring.ssl.bundle.jks.*}) and the
 * server's own {@code server.ssl} key material Vigil's protocol versions and cipher suites
 * ({@code vigil.tls.enabled-protocols}, {@code vigil.tls.ciphers}) as defaults: the lowest-precedence
 * property source, so a bundle that names its own {@code options} keeps them. The server takes its
 * TLS options from its bundle (also when the bundle is reloaded after a certificate change), so the
 * defaults go on the bundles rather than on the connector.
 */
public final class TlsDefaults implements EnvironmentPostProcessor {
  static final String SOURCE_NAME = "vigilTlsDefaults";
  private static final String[] BUNDLE_KINDS = {"pem", "jks"};
  private static final int BUNDLE_NAME_ELEMENT = 4; // spring.ssl.bundle.<kind>.<name>

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Binder binder = Binder.get(environment);
    TlsProperties tls = binder.bindOrCreate("vigil.tls", Bindable.of(TlsProperties.class));
    String protocols = String.join(",", tls.enabledProtocols());
    String ciphers = String.join(",", tls.ciphers());
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (String kind : BUNDLE_KINDS) {
      for (String bundle : bundleNames(environment, kind)) {
        String options = "spring.ssl.bundle." + kind + "." + bundle + ".options.";
        defaults.put(options + "enabled-protocols", protocols);
        defaults.put(options + "ciphers", ciphers);
      }
    }
    if (hasServerKeyMaterial(environment)) {
      defaults.put("server.ssl.enabled-protocols", protocols);
      defaults.put("server.ssl.ciphers", ciphers);
    }
    environment.getPropertySources().remove(SOURCE_NAME);
    if (!defaults.isEmpty()) environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
  }

  /** Key material in {@code server.ssl} itself rather than in a bundle (only then does it take its own options). */
  private static boolean hasServerKeyMaterial(ConfigurableEnvironment environment) {
    if (environment.containsProperty("server.ssl.bundle")) return false;
    return environment.containsProperty("server.ssl.key-store") || environment.containsProperty("server.ssl.certificate");
  }

  static Set<String> bundleNames(ConfigurableEnvironment environment, String kind) {
    ConfigurationPropertyName prefix = ConfigurationPropertyName.of("spring.ssl.bundle." + kind);
    Set<String> names = new LinkedHashSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) continue;
      iterable.stream().filter(name -> prefix.isAncestorOf(name) && name.getNumberOfElements() > BUNDLE_NAME_ELEMENT)
          .forEach(name -> names.add(name.getElement(BUNDLE_NAME_ELEMENT, ConfigurationPropertyName.Form.ORIGINAL)));
    }
    return names;
  }
}
