package io.vigil.server.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Adds the test credentials ({@link TestAuth}) to a request built by another client (the one
 * generated from the API contract): reads the method, path and body of the request as built.
 */
public final class SigningInterceptor implements Consumer<HttpRequest.Builder> {
  private final String base;

  public SigningInterceptor(String base) {
    this.base = base;
  }

  @Override
  public void accept(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    URI uri = request.uri();
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    byte[] body = request.bodyPublisher().map(SigningInterceptor::bytesOf).orElse(null);
    List<String> headers = TestAuth.headers(base, request.method(), target, body);
    if (!headers.isEmpty()) builder.headers(headers.toArray(String[]::new));
  }

  /** The bytes a body publisher sends (every publisher the generated client uses can be read again). */
  static byte[] bytesOf(HttpRequest.BodyPublisher publisher) {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        out.writeBytes(chunk);
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the request body could not be read for signing", e);
    }
  }
}
