package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.client.signing.VigilClient;
import io.vigil.client.signing.VigilSigner;
import io.vigil.server.api.SharedServerBase;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The client library (vigil-client) signs requests the server's verifier accepts, retries included. */
class ClientLibraryApiTest extends SharedServerBase {
  private VigilClient client() {
    return new VigilClient(URI.create(base), TestKeys.KEY_ID, TestKeys.SECRET, TestClock.INSTANCE, Duration.ofSeconds(30));
  }

  @Test
  void aDecisionAndItsRetrySignedByTheClientAreAccepted() {
    String account = "acct_client_" + UUID.randomUUID().toString().replace('-', '_');
    byte[] event = ApiClient.json(Events.payment("evt_client_" + UUID.randomUUID(), account, 1_000)).getBytes(StandardCharsets.UTF_8);
    VigilClient vigil = client();
    VigilClient.Reply first = vigil.post("/v1/decisions", event);
    assertEquals(200, first.status(), first.body());
    // The same request at once: signed with the next second, so not a replay, and answered from the journal.
    VigilClient.Reply retry = vigil.post("/v1/decisions", event);
    assertEquals(200, retry.status(), retry.body());
    assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElseThrow());
    VigilClient.Reply read = vigil.get("/v1/decisions?account_id=" + account);
    assertEquals(200, read.status(), read.body());
    assertTrue(read.body().contains(account));
  }

  @Test
  void theSignersHeadersMatchTheServersOwnComputation() {
    VigilSigner signer = new VigilSigner(TestKeys.KEY_ID, TestKeys.SECRET, TestClock.INSTANCE);
    byte[] body = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    long t = TestClock.now().getEpochSecond();
    String digest = ContentDigest.of(body);
    assertEquals(digest, VigilSigner.contentDigest(body));
    String serverSide = HexFormat.of().formatHex(RequestSignature.hmac(RequestSignature.hmacKey(TestKeys.SECRET),
        RequestSignature.signedString(t, "POST", "/v1/feedback", digest).getBytes(StandardCharsets.UTF_8)));
    assertEquals("t=" + t + ",v1=" + serverSide, signer.headersAt(t, "POST", "/v1/feedback", body).get("Vigil-Signature"));
  }

  @Test
  void aWrongSecretInTheClientIsRefused() {
    VigilClient wrong = new VigilClient(URI.create(base), TestKeys.KEY_ID, ApiKeys.newSecret(), TestClock.INSTANCE, Duration.ofSeconds(30));
    VigilClient.Reply r = wrong.get("/v1/decisions?limit=1");
    assertEquals(401, r.status());
    assertTrue(r.body().contains("signature_invalid"), r.body());
  }
}
