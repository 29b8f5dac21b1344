package io.vigil.server.cases;

import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.cases.CaseTestSupport.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.api.ServerTestBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server the case verdict and appeal tests share: its own data directory (the tests decide held
 * payments, which other servers' tests count), and exchange rates without CHF, so that a payment in
 * CHF is answered REVIEW.
 */
abstract class CaseServerBase extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-cases-verdicts-");
  private static volatile Signed reviewer;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", () -> CaseTestSupport.ratesWithoutChf(DATA_DIR).toString());
    storeAsAsked(registry);
  }

  /** A reviewer (role reviewer) who is a member of every queue; signed in again after the test clock jumped past the session. */
  protected Signed reviewer() {
    if (reviewer == null || !reviewer.steppedUp()) {
      Signed r = TestOperators.signInSteppedUp(base, TestOperators.newUsername("rev"), Set.of(Role.REVIEWER));
      joinEveryQueue(r.username());
      reviewer = r;
    }
    return reviewer;
  }

  protected void joinEveryQueue(String operator) {
    for (Map<String, Object> q : data(api.get("/v1/case-queues"))) {
      List<Object> members = new ArrayList<>((List<?>) q.get("members"));
      members.add(operator);
      ApiClient.Reply r = api.put("/v1/case-queues/" + q.get("queue_id") + "/members", Map.of("operator_ids", members));
      assertEquals(200, r.status(), r.body());
    }
  }

  protected ApiClient.Reply verdict(Signed op, String caseId, Map<String, Object> body) {
    return as(op, base, "POST", "/v1/cases/" + caseId + "/verdict", body);
  }

  /** A new supervisor, stepped up (as approving a reopen needs). */
  protected Signed supervisor(String prefix) {
    return TestOperators.signInSteppedUp(base, TestOperators.newUsername(prefix), Set.of(Role.SUPERVISOR));
  }

  protected ApiClient.Reply approveReopen(Signed op, String caseId, String requestId) {
    return as(op, base, "POST", "/v1/cases/" + caseId + "/reopen-requests/" + requestId + "/approval", Map.of());
  }
}
