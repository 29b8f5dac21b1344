package io.vigil.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.BlockingQueue;

/**
 * Takes scheduled requests off the shared queue and sends them over its own keep-alive
 * connection, one at a time, until it takes {@link LoadRequest#STOP}.
 */
final class LoadWorker implements Runnable {
  private final BlockingQueue<LoadRequest> queue;
  private final HttpConnection connection;
  private final String path;
  private final LoadStats stats;

  LoadWorker(BlockingQueue<LoadRequest> queue, HttpConnection connection, String path, LoadStats stats) {
    this.queue = queue;
    this.connection = connection;
    this.path = path;
    this.stats = stats;
  }

  @Override
  public void run() {
    try {
      while (true) {
        LoadRequest request = queue.take();
        if (request == LoadRequest.STOP) return;
        send(request);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connection.close();
    }
  }

  private void send(LoadRequest request) {
    int status;
    try {
      status = connection.post(path, request.body());
    } catch (IOException | RuntimeException e) {
      stats.failure(request, kindOf(e), System.nanoTime());
      return;
    }
    long endNanos = System.nanoTime();
    if (status == 200) stats.success(request, endNanos);
    else stats.failure(request, Integer.toString(status), endNanos);
  }

  /** Closes the connection from another thread, unblocking a read stuck on a hung server. */
  void abort() {
    connection.close();
  }

  static String kindOf(Exception e) {
    Throwable cause = e instanceof HttpConnection.StaleConnectionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof SocketTimeoutException) return ErrorCounts.TIMEOUT;
    if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
        || cause instanceof UnknownHostException) {
      return ErrorCounts.CONNECT_ERROR;
    }
    return ErrorCounts.IO_ERROR;
  }
}
