package io.vigil.server.operator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * Single sign-on with OpenID Connect, when {@code vigil.operators.sso.enabled}: the provider is
 * read from its discovery document at start-up; {@code GET /v1/auth/sso/authorization/vigil}
 * sends the browser to it (authorization code with PKCE), and it comes back to
 * {@code /v1/auth/sso/callback/vigil}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vigil.operators.sso.enabled", havingValue = "true")
public class SsoConfiguration {
  public static final String REGISTRATION_ID = "vigil";
  public static final String AUTHORIZATION_BASE = "/v1/auth/sso/authorization";
  public static final String CALLBACK_BASE = "/v1/auth/sso/callback";

  @Bean
  public ClientRegistrationRepository clientRegistrationRepository(OperatorProperties p) {
    OperatorProperties.Sso sso = p.sso();
    ClientRegistration.Builder b = ClientRegistrations.fromIssuerLocation(sso.issuer()).registrationId(REGISTRATION_ID)
        .clientId(sso.clientId()).scope("openid", "profile", "email")
        .redirectUri("{baseUrl}" + CALLBACK_BASE + "/{registrationId}");
    if (sso.clientSecret().isEmpty()) {
      b.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
    } else {
      b.clientSecret(sso.clientSecret()).clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }
    return new InMemoryClientRegistrationRepository(b.build());
  }

  @Bean
  public SsoLogin ssoLogin(ClientRegistrationRepository registrations, OperatorService operators, OperatorSessions sessions,
      OperatorProperties p) {
    return new SsoLogin(registrations, new SsoSignIn(operators, sessions, p.sso()));
  }

  /** What the security chain adds for single sign-on ({@code oauth2Login}). */
  public static final class SsoLogin {
    private final ClientRegistrationRepository registrations;
    private final SsoSignIn signIn;

    SsoLogin(ClientRegistrationRepository registrations, SsoSignIn signIn) {
      this.registrations = registrations;
      this.signIn = signIn;
    }

    public void configure(OAuth2LoginConfigurer<HttpSecurity> login) {
      DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(registrations,
          AUTHORIZATION_BASE);
      resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
      login.clientRegistrationRepository(registrations)
          .authorizationEndpoint(a -> a.baseUri(AUTHORIZATION_BASE).authorizationRequestResolver(resolver))
          .redirectionEndpoint(r -> r.baseUri(CALLBACK_BASE + "/*"))
          .loginProcessingUrl(CALLBACK_BASE + "/*")
          .successHandler(signIn)
          .failureHandler(signIn);
    }
  }
}
