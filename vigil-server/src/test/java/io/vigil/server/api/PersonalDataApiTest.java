package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The personal-data routes over HTTP: erasure (personal_data.erase) and the master keyset's
 * rotation (system.admin) are an operator's, refused to a payment system's key; an operator's
 * erasure shows the account's personal fields as erased and leaves another account's intact.
 * (What is stored, searched for in every file and row, is {@code PersonalDataAtRestTest}.)
 */
class PersonalDataApiTest extends SharedServerBase {

  @Test
  void anApiKeyMayNeitherEraseNorRotate() throws Exception {
    HttpResponse<String> erase = signedWithTheKey("/v1/accounts/acct-pd-api-1/personal-data/erasure", "{\"reason\":\"test\"}");
    assertThat(erase.statusCode()).as(erase.body()).isEqualTo(403);
    assertThat(erase.body()).contains("\"permission_denied\"").contains("personal_data.erase");
    HttpResponse<String> rotate = signedWithTheKey("/v1/admin/encryption-keys/rotate", "{}");
    assertThat(rotate.statusCode()).as(rotate.body()).isEqualTo(403);
    assertThat(rotate.body()).contains("\"permission_denied\"").contains("system.admin");
  }

  @Test
  void anOperatorErasesOneAccountAndRotatesTheKeyset() {
    Map<String, Object> erased = Events.payment("evt-pd-api-erased", "acct-pd-api-erased", 700);
    erased.put("phone", "+8801911000111");
    erased.put("email", "pd.api.erased@example.test");
    Map<String, Object> kept = Events.payment("evt-pd-api-kept", "acct-pd-api-kept", 700);
    kept.put("phone", "+8801911000222");
    String erasedId = (String) api.post("/v1/decisions", erased).json().get("decision_id");
    String keptId = (String) api.post("/v1/decisions", kept).json().get("decision_id");

    ApiClient.Reply noReason = api.post("/v1/accounts/acct-pd-api-erased/personal-data/erasure", Map.of());
    assertError(noReason, 400, "invalid_request_error", "missing_field", "reason");
    ApiClient.Reply r = api.post("/v1/accounts/acct-pd-api-erased/personal-data/erasure", Map.of("reason", "holder's request"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json()).containsEntry("account_id", "acct-pd-api-erased").containsEntry("keys_destroyed", 1)
        .containsKeys("erasure_id", "erased_at", "erased_by");
    assertThat(event(erasedId)).containsEntry("phone", "[erased]").containsEntry("email", "[erased]");
    assertThat(event(keptId)).containsEntry("phone", "+8801911000222");

    ApiClient.Reply wrongType = api.post("/v1/admin/encryption-keys/rotate", Map.of("remove_retired_keys", "yes"));
    assertError(wrongType, 400, "invalid_request_error", "wrong_type", "remove_retired_keys");
    ApiClient.Reply rotated = api.post("/v1/admin/encryption-keys/rotate", Map.of());
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat((List<?>) rotated.json().get("key_ids")).hasSizeGreaterThanOrEqualTo(2); // the older key is kept
    assertThat(rotated.json()).containsEntry("data_keys_under_older_keys", 0);
    assertThat(event(keptId)).as("still readable after the rotation").containsEntry("phone", "+8801911000222");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> event(String decisionId) {
    return (Map<String, Object>) api.get("/v1/decisions/" + decisionId).json().get("event");
  }

  private HttpResponse<String> signedWithTheKey(String path, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    b.headers(TestAuth.signature("POST", path, bytes).toArray(String[]::new));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
