package io.vigil.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * What the workers record, shared between them. Latency is in microseconds, measured from the
 * intended send time to the end of the response, for successful (HTTP 200) measured requests.
 */
final class LoadStats {
  static final int SIGNIFICANT_DIGITS = 3;

  final Recorder latencyMicros = new Recorder(SIGNIFICANT_DIGITS);
  final LongAdder measuredScheduled = new LongAdder();
  final LongAdder measuredSucceeded = new LongAdder();
  final LongAdder warmupScheduled = new LongAdder();
  final LongAdder warmupSucceeded = new LongAdder();
  final ErrorCounts measuredErrors = new ErrorCounts();
  final ErrorCounts warmupErrors = new ErrorCounts();
  /** System.nanoTime() when the last measured request completed. */
  final AtomicLong lastMeasuredCompletionNanos = new AtomicLong(Long.MIN_VALUE);

  ErrorCounts errors(boolean measured) {
    return measured ? measuredErrors : warmupErrors;
  }

  void success(LoadRequest request, long endNanos) {
    if (!request.measured()) {
      warmupSucceeded.increment();
      return;
    }
    measuredSucceeded.increment();
    latencyMicros.recordValue(Math.max(1, (endNanos - request.intendedNanos()) / 1_000));
    completedMeasured(endNanos);
  }

  void failure(LoadRequest request, String kind, long endNanos) {
    errors(request.measured()).record(kind);
    if (request.measured()) completedMeasured(endNanos);
  }

  private void completedMeasured(long endNanos) {
    lastMeasuredCompletionNanos.accumulateAndGet(endNanos, Math::max);
  }
}
