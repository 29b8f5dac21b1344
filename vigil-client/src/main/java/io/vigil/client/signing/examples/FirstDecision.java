package io.vigil.client.signing.examples;

import io.vigil.client.signing.VigilClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends one event to Vigil, signed with an API key, and prints the answer:
 * {@code java -cp vigil-client.jar io.vigil.client.signing.examples.FirstDecision http://localhost:8080 data/demo-api-key payment.json}.
 * The key file is the one a new installation writes ({@code key_id=...} and {@code secret=...} lines).
 */
public final class FirstDecision {
  private FirstDecision() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FirstDecision BASE_URL KEY_FILE EVENT_JSON_FILE");
      System.exit(2);
    }
    String keyId = null;
    String secret = null;
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      if (line.startsWith("key_id=")) keyId = line.substring("key_id=".length());
      if (line.startsWith("secret=")) secret = line.substring("secret=".length());
    }
    if (keyId == null || secret == null) throw new IllegalArgumentException(args[1] + " has no key_id= and secret= lines");
    VigilClient vigil = new VigilClient(URI.create(args[0]), keyId, secret);
    VigilClient.Reply reply = vigil.post("/v1/decisions", Files.readAllBytes(Path.of(args[2])));
    System.out.println(reply.status() + " " + reply.body());
  }
}
