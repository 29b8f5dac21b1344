package io.vigil.server.console.apikeys;

import io.vigil.server.security.ApiKeyStore;
import io.vigil.server.security.ApiKeys;
import io.vigil.server.security.ApiScope;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * API keys (permission {@code api_keys.manage}): every key with its scopes, status and times, read as
 * {@code GET /v1/api-keys} reads them (never a secret). Issuing, rotating, revoking and destroying
 * are calls to that API from the page; issuing and rotating ask for a fresh authentication code, and
 * the new secret is shown once, by the page script, from the API's answer.
 */
@Controller
public class ApiKeysPageController {
  private final ApiKeys keys;

  public ApiKeysPageController(ApiKeys keys) {
    this.keys = keys;
  }

  /** One key as the page shows it; times as RFC 3339, null when not (yet) so. */
  public record Row(String id, String owner, List<String> scopes, String status, String createdAt, String createdBy,
      String expiresAt, String rotatedAt, String previousValidUntil, String revokedAt, String destroyedAt) {}

  @GetMapping("/console/api-keys")
  public String page(Model model) {
    table(model);
    model.addAttribute("allScopes", Arrays.stream(ApiScope.values()).map(ApiScope::code).toList());
    return "console/apikeys/api-keys";
  }

  /** The keys' table again, for the page to swap in after a change. */
  @GetMapping("/console/api-keys/table")
  public String tableFragment(Model model) {
    table(model);
    return "console/apikeys/api-keys :: table";
  }

  private void table(Model model) {
    model.addAttribute("keys", keys.store().all().stream()
        .sorted(Comparator.comparingLong(ApiKeyStore.Row::createdAtMillis).reversed().thenComparing(ApiKeyStore.Row::keyId))
        .map(ApiKeysPageController::row).toList());
  }

  static Row row(ApiKeyStore.Row r) {
    return new Row(r.keyId(), r.owner(), r.scopes().stream().sorted().map(ApiScope::code).toList(),
        r.status().name().toLowerCase(Locale.ROOT), time(r.createdAtMillis()), r.createdBy(), time(r.expiresAtMillis()),
        time(r.rotatedAtMillis()), r.previousSecretSealed() == null ? null : time(r.previousValidUntilMillis()),
        time(r.revokedAtMillis()), time(r.destroyedAtMillis()));
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
