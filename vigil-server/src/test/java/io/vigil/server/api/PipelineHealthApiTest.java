package io.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Readiness and liveness follow the decision pipeline: readiness turns DOWN when decisions stop
 * completing (a stalled sequencer) and UP again when they complete; both turn DOWN when the
 * pipeline's threads are no longer running. A server of its own, thrown away afterwards.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineHealthApiTest extends ServerTestBase {
  private static final long REPLY_TIMEOUT_MILLIS = 300;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", () -> tempDir("vigil-pipeline-health-").toString());
    registry.add("vigil.decisions.reply-timeout-millis", () -> Long.toString(REPLY_TIMEOUT_MILLIS));
    registry.add("vigil.decisions.admission-budget-millis", () -> Long.toString(REPLY_TIMEOUT_MILLIS - 100));
  }

  @Autowired
  DecisionPipeline pipeline;

  @Test
  @Order(1)
  void readinessIsDownWhileDecisionsAreNotCompletingAndUpWhenTheyAre() throws Exception {
    assertThat(status("/actuator/health/readiness")).isEqualTo(200);
    CountDownLatch release = new CountDownLatch(1);
    // The sequencer stalls on a task, as it would on a bug or a lock: decisions queue behind it.
    pipeline.onSequencer(engine -> {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    try {
      CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(
          () -> api.post("/v1/decisions", Events.payment("stalled-1", "acc-stalled", 100)));
      ApiClient.Reply timedOut = waiting.get(30, TimeUnit.SECONDS);
      assertThat(timedOut.status()).isEqualTo(503);
      assertThat(timedOut.error().get("code")).isEqualTo("decision_timeout");
      awaitStatus("/actuator/health/readiness", 503);
      Map<String, Object> readiness = api.get("/actuator/health/readiness").json();
      assertThat(readiness.get("status")).isEqualTo("DOWN");
      assertThat(readiness.toString()).contains("decisions not completing");
      assertThat(status("/actuator/health")).as("the overall status follows readiness").isEqualTo(503);
      assertThat(status("/actuator/health/liveness")).as("a stall is not a reason to restart").isEqualTo(200);
    } finally {
      release.countDown();
    }
    awaitStatus("/actuator/health/readiness", 200);
    assertThat(api.post("/v1/decisions", Events.payment("after-stall", "acc-stalled", 100)).status()).isEqualTo(200);
    assertThat(status("/actuator/health")).isEqualTo(200);
  }

  @Test
  @Order(2)
  void livenessAndReadinessAreDownOnceTheDecisionThreadsStop() throws Exception {
    assertThat(status("/actuator/health/liveness")).isEqualTo(200);
    pipeline.close(); // both threads stop; nothing in the process starts them again
    awaitStatus("/actuator/health/liveness", 503);
    Map<String, Object> liveness = api.get("/actuator/health/liveness").json();
    assertThat(liveness.toString()).contains("sequencer_running=false");
    assertThat(status("/actuator/health/readiness")).isEqualTo(503);
    assertThat(status("/actuator/health")).isEqualTo(503);
  }

  private int status(String path) {
    return api.get(path).status();
  }

  private void awaitStatus(String path, int expected) throws InterruptedException {
    Supplier<Integer> current = () -> status(path);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (current.get() == expected) return;
      Thread.sleep(50);
    }
    assertThat(api.get(path).body()).as("%s never answered %d", path, expected).isEqualTo("status " + expected);
  }
}
