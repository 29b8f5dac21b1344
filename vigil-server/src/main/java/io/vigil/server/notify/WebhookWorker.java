package io.vigil.server.notify;

import io.vigil.server.notify.WebhookDeliveryStore.Row;
import io.vigil.server.notify.WebhookDeliveryStore.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due webhook deliveries, on one scheduled thread: every {@code poll-interval} (and at once
 * when an event is published) it asks the table for the pending deliveries due by the injected
 * {@link Clock}, sends a round of at most {@code batch-max} in parallel, and records each result.
 * A 2xx answer is {@code delivered}; anything else (a redirect, which is never followed, a 4xx or
 * 5xx, a timeout, a refused connection) is tried again after {@link Backoff}'s delay, until
 * {@code attempts-max} attempts were made: then the delivery is {@code failed}. Each attempt is
 * signed afresh ({@link WebhookSignature}) with the attempt's own {@code webhook-timestamp}.
 */
final class WebhookWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
  /** How often, at most, old deliveries are purged. */
  private static final long PURGE_EVERY_MILLIS = TimeUnit.MINUTES.toMillis(10);
  /** Characters of an error kept on a delivery. */
  private static final int ERROR_CHARS_MAX = 256;

  private final WebhookDeliveryStore deliveries;
  private final WebhookEndpoints endpoints;
  private final Clock clock;
  private final NotificationProperties.Webhooks settings;
  private final HttpClient http;
  private final ThreadPoolExecutor httpThreads;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vigil-webhooks"));
  private long lastPurgeMillis = Long.MIN_VALUE;

  WebhookWorker(WebhookDeliveryStore deliveries, WebhookEndpoints endpoints, Clock clock, NotificationProperties.Webhooks settings) {
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.clock = clock;
    this.settings = settings;
    this.httpThreads = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4 * settings.batchMax()),
        r -> daemon(r, "vigil-webhooks-http"), new ThreadPoolExecutor.CallerRunsPolicy());
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout()).executor(httpThreads).build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Polls every {@code poll-interval} until closed. */
  void start() {
    long millis = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs a round soon, on the worker's thread (an event was published or a delivery retried by hand). */
  void wake() {
    try {
      thread.execute(this::runSafely);
    } catch (RejectedExecutionException stopped) {
      log.debug("webhook worker stopped; the deliveries wait in the table");
    }
  }

  private void runSafely() {
    try {
      runDueOnce();
    } catch (RuntimeException e) {
      log.warn("a webhook round failed: {}", e.getClass().getSimpleName());
    }
  }

  /** Sends one round of the deliveries due by the clock and records the results; how many were attempted. */
  synchronized int runDueOnce() {
    long now = clock.millis();
    purgeNowAndThen(now);
    long leaseMillis = settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(60).toMillis();
    Map<String, WebhookEndpointStore.Row> byId = new HashMap<>();
    List<Row> sent = new ArrayList<>();
    List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
    for (Row d : deliveries.due(now, settings.batchMax())) {
      WebhookEndpointStore.Row endpoint = byId.computeIfAbsent(d.endpointId(), id -> endpoints.store().find(id).orElse(null));
      if (endpoint == null || !deliveries.claim(d, now + leaseMillis)) continue;
      sent.add(d);
      answers.add(send(endpoint, d, now));
    }
    for (int i = 0; i < sent.size(); i++) record(sent.get(i), answers.get(i));
    return sent.size();
  }

  private CompletableFuture<HttpResponse<Void>> send(WebhookEndpointStore.Row endpoint, Row d, long nowMillis) {
    long seconds = Math.floorDiv(nowMillis, 1000);
    StringJoiner signatures = new StringJoiner(" ");
    for (byte[] key : endpoints.signingKeys(endpoint, nowMillis)) signatures.add(WebhookSignature.sign(key, d.deliveryId(), seconds, d.payload()));
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(settings.requestTimeout())
        .header("Content-Type", "application/json").header("User-Agent", "Vigil-Webhooks/1")
        .header("webhook-id", d.deliveryId()).header("webhook-timestamp", Long.toString(seconds))
        .header("webhook-signature", signatures.toString())
        .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
  }

  private void record(Row d, CompletableFuture<HttpResponse<Void>> answer) {
    int attempts = d.attempts() + 1;
    Integer status = null;
    String error;
    Duration wait = settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(1);
    try {
      status = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS).statusCode();
      error = status >= 200 && status < 300 ? null
          : status >= 300 && status < 400 ? "redirect not followed (status " + status + ")" : "status " + status;
    } catch (ExecutionException e) {
      error = describe(e.getCause());
    } catch (TimeoutException e) {
      answer.cancel(true);
      error = "timeout";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    }
    long now = clock.millis();
    if (error == null) {
      deliveries.attempted(d.deliveryId(), Status.DELIVERED, attempts, now, status, null, now);
    } else if (attempts >= settings.attemptsMax()) {
      deliveries.attempted(d.deliveryId(), Status.FAILED, attempts, now, status, cut(error), null);
      log.warn("webhook delivery {} to endpoint {} failed for good after {} attempts: {}", d.deliveryId(), d.endpointId(), attempts, error);
    } else {
      Duration delay = Backoff.after(attempts);
      deliveries.attempted(d.deliveryId(), Status.PENDING, attempts, now + delay.toMillis(), status, cut(error), null);
      log.info("webhook delivery {} to endpoint {} attempt {} failed: {}; next in {}", d.deliveryId(), d.endpointId(), attempts, error, delay);
    }
  }

  private static String describe(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) return "connect timeout";
    if (cause instanceof HttpTimeoutException) return "timeout";
    if (cause instanceof ConnectException) return "connection refused";
    if (cause instanceof IOException) return "i/o error (" + cause.getClass().getSimpleName() + ")";
    return "error (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
  }

  private static String cut(String error) {
    return error.length() <= ERROR_CHARS_MAX ? error : error.substring(0, ERROR_CHARS_MAX);
  }

  private void purgeNowAndThen(long now) {
    if (lastPurgeMillis != Long.MIN_VALUE && now - lastPurgeMillis < PURGE_EVERY_MILLIS) return;
    lastPurgeMillis = now;
    int purged = deliveries.purge(now - settings.retention().toMillis());
    if (purged > 0) log.info("deleted {} webhook deliveries older than {}", purged, settings.retention());
  }

  @Override
  public void close() {
    thread.shutdownNow();
    httpThreads.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) log.warn("the webhook worker did not stop within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
