package io.vigil.server.links;

import io.vigil.engine.signal.links.Links;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.decision.DecisionPipeline;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * An account's identity links, for analysts: which kinds of identifier it shares, with how many
 * other accounts (and up to 25 of their ids), since when. Identifiers appear only as keyed-hash
 * fingerprints, never as values.
 * The graph belongs to the decision sequencer, so the read runs there, between decisions.
 */
@RestController
public class LinksController {
  private static final long READ_TIMEOUT_MILLIS = 2_000;
  private final DecisionPipeline pipeline;

  public LinksController(DecisionPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @GetMapping("/v1/accounts/{accountId}/links")
  public Map<String, Object> links(@PathVariable String accountId) {
    Params.accountId(accountId);
    Links links;
    try {
      links = pipeline.onSequencer(engine -> engine.signals().links().linksOf(accountId))
          .get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw ApiException.unavailable("sequencer_busy", "The decision sequencer did not answer in time; retry shortly");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("sequencer_busy", "Interrupted while waiting for the decision sequencer");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", links.accountId());
    m.put("links", links.identifiers().stream().map(LinksController::link).toList());
    return m;
  }

  private static Map<String, Object> link(Links.Link l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", l.kind().wireName());
    m.put("fingerprint", l.fingerprint());
    m.put("first_seen", Instant.ofEpochMilli(l.firstSeenMillis()).toString());
    m.put("last_seen", Instant.ofEpochMilli(l.lastSeenMillis()).toString());
    m.put("accounts_sharing", l.accountsSharing());
    m.put("sharing_capped", l.sharingCapped());
    m.put("shared_with", l.sharedWith());
    return m;
  }
}
