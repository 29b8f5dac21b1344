package io.vigil.server.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A real small file system for disk-full tests: a tmpfs mounted with {@code mount -t tmpfs}, which
 * needs root (the test machines run the suite as root). Fails with the command's own error otherwise.
 */
final class Tmpfs {
  private Tmpfs() {}

  static void mount(Path dir, String size) throws IOException, InterruptedException {
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
  }

  static void unmount(Path dir) throws IOException, InterruptedException {
    run("umount", dir.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed (it needs root): " + output.trim());
  }
}
