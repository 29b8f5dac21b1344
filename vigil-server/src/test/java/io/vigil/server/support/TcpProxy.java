package io.vigil.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between a server under test and its database: {@link #stop()} cuts every
 * connection and refuses new ones, as a database host that went away; {@link #start()} listens
 * again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      this.port = probe.getLocalPort();
    }
    start();
  }

  public int port() {
    return port;
  }

  public synchronized void start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress("127.0.0.1", port));
    listener = s;
    Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public synchronized void stop() {
    closeQuietly(listener);
    for (Socket socket : sockets) closeQuietly(socket);
    sockets.clear();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(server);
        pipe(client, server);
        pipe(server, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) != -1; ) out.write(buffer, 0, n);
      } catch (IOException closed) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) c.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    stop();
  }
}
