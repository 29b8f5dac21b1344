package io.vigil.server.notify;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.security.SecretBox;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * E-mail and webhooks: the {@link EmailNotifier} and {@link WebhookNotifier} the cases code calls,
 * the endpoints behind the webhook routes, and the two workers (stopped with the context). E-mail is
 * on when Spring Boot made a {@link JavaMailSender}, that is when {@code spring.mail.host} is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationProperties.class)
public class NotifyConfiguration {
  private static final Logger log = LoggerFactory.getLogger(NotifyConfiguration.class);
  /** SMTP connect, read and write timeout unless spring.mail.properties sets one: JavaMail waits forever by default. */
  static final String SMTP_TIMEOUT_MILLIS = "10000";

  /** Off (each e-mail recorded {@code skipped}) when there is no mail sender, that is no {@code spring.mail.host}. */
  @Bean(destroyMethod = "close")
  public EmailNotifier emailNotifier(ObjectProvider<JavaMailSender> mailSender, HikariDataSource ds, Clock clock,
      NotificationProperties p) {
    JavaMailSender sender = mailSender.getIfAvailable();
    EmailDeliveries store = new EmailDeliveries(ds);
    int left = store.failLeftovers("dropped at restart");
    if (left > 0) log.warn("{} e-mails waiting for a retry when the server stopped are recorded failed", left);
    if (sender == null) {
      log.info("e-mail is off (no spring.mail.host): e-mails are recorded as skipped");
      return new EmailNotifier(store, null, clock, p.mail());
    }
    if (sender instanceof JavaMailSenderImpl impl) withTimeouts(impl.getJavaMailProperties());
    EmailWorker worker = new EmailWorker(sender, store, clock, p.mail());
    worker.start(p.mail().pollInterval());
    return new EmailNotifier(store, worker, clock, p.mail());
  }

  @Bean
  WebhookEndpointStore webhookEndpointStore(HikariDataSource ds) {
    return new WebhookEndpointStore(ds);
  }

  @Bean
  WebhookDeliveryStore webhookDeliveryStore(HikariDataSource ds) {
    return new WebhookDeliveryStore(ds);
  }

  @Bean
  WebhookEndpoints webhookEndpoints(WebhookEndpointStore store, WebhookDeliveryStore deliveries, SecretBox box, Clock clock) {
    return new WebhookEndpoints(store, deliveries, box, clock);
  }

  @Bean(destroyMethod = "close")
  WebhookWorker webhookWorker(WebhookDeliveryStore deliveries, WebhookEndpoints endpoints, Clock clock, NotificationProperties p) {
    WebhookWorker worker = new WebhookWorker(deliveries, endpoints, clock, p.webhooks());
    worker.start();
    return worker;
  }

  @Bean
  public WebhookNotifier webhookNotifier(WebhookEndpointStore endpoints, WebhookDeliveryStore deliveries, WebhookWorker worker,
      Clock clock, NotificationProperties p, MeterRegistry meters) {
    return new WebhookNotifier(endpoints, deliveries, worker, clock, p.webhooks().pendingPerEndpointMax(), meters);
  }

  private static void withTimeouts(Properties props) {
    for (String key : new String[] {"mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout"}) {
      props.putIfAbsent(key, SMTP_TIMEOUT_MILLIS);
    }
  }
}
