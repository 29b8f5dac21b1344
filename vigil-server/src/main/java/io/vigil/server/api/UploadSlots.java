package io.vigil.server.api;

import java.util.concurrent.Semaphore;

/**
 * A fixed number of uploads of one kind in progress at once. One more is refused at once with
 * {@code 503 uploads_busy} and {@code Retry-After}: it never waits for a slot, so large or slow
 * uploads cannot pile up in memory, on disk or on request threads.
 */
public final class UploadSlots {
  static final int RETRY_AFTER_SECONDS = 5;
  private final Semaphore slots;

  /** A slot taken; closing it gives it back. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  public UploadSlots(int concurrentMax) {
    if (concurrentMax < 1) throw new IllegalArgumentException("concurrentMax must be at least 1");
    this.slots = new Semaphore(concurrentMax);
  }

  /** Takes a slot, or throws {@code 503 uploads_busy} when all are taken. */
  public Slot take() {
    if (!slots.tryAcquire()) {
      throw new ApiException(503, "overloaded_error", "uploads_busy",
          "Too many uploads of this kind are in progress; retry shortly", null, RETRY_AFTER_SECONDS);
    }
    return slots::release;
  }
}
