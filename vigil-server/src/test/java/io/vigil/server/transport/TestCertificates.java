package io.vigil.server.transport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made by the openssl command for a test run: never committed, never reused. */
final class TestCertificates {
  private TestCertificates() {}

  /**
   * A new RSA key and a certificate for localhost and 127.0.0.1 with this common name, written to
   * {@code certificate} and {@code privateKey} (each replaced in one move, as a certificate renewal would).
   */
  static void write(Path certificate, Path privateKey, String commonName) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("vigil-test-cert-");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
    Files.move(key, privateKey, StandardCopyOption.REPLACE_EXISTING);
    Files.move(cert, certificate, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(dir);
  }

  /** Runs a command; its exit status and output (standard error merged in). */
  static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command));
    }
    Result result = new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    if (command[1].equals("req") && result.status != 0) throw new IllegalStateException("openssl failed: " + result.output);
    return result;
  }

  record Result(int status, String output) {}
}
