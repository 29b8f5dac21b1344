package io.vigil.bench;

/**
 * One scheduled request: its body and the time it should have been sent, on the
 * {@link System#nanoTime()} clock. {@code measured} is false during the warm-up.
 */
record LoadRequest(long intendedNanos, byte[] body, boolean measured) {
  /** Tells a worker to exit once it has taken everything queued before it. */
  static final LoadRequest STOP = new LoadRequest(Long.MIN_VALUE, new byte[0], false);
}
