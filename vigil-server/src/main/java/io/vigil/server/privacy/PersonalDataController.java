package io.vigil.server.privacy;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/accounts/{accountId}/personal-data/erasure} (permission personal_data.erase) and
 * {@code POST /v1/admin/encryption-keys/rotate} (system.admin).
 */
@RestController
public class PersonalDataController {
  private static final int REASON_CHARS_MAX = 1024;
  private final PersonalDataErasure erasure;
  private final KeyRotation rotation;

  public PersonalDataController(PersonalDataErasure erasure, KeyRotation rotation) {
    this.erasure = erasure;
    this.rotation = rotation;
  }

  @PostMapping("/v1/accounts/{accountId}/personal-data/erasure")
  public Map<String, Object> erase(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    return erasure.eraseAccount(accountId, reason, Actor.of(request));
  }

  @PostMapping("/v1/admin/encryption-keys/rotate")
  public Map<String, Object> rotate(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("remove_retired_keys"));
    Object remove = body.getOrDefault("remove_retired_keys", Boolean.FALSE);
    if (!(remove instanceof Boolean removeRetired)) {
      throw ApiException.invalid("wrong_type", "remove_retired_keys must be a boolean", "remove_retired_keys");
    }
    Actor.of(request);
    KeyRotation.Result r = rotation.rotate(removeRetired);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keyset", "personal_data");
    m.put("primary_key_id", r.primaryKeyId());
    m.put("data_keys_rewrapped", r.rewrapped());
    m.put("data_keys_under_older_keys", r.leftUnderOlderKeys());
    m.put("removed_key_ids", r.removedKeyIds());
    m.put("key_ids", r.keyIds());
    return m;
  }
}
