package io.vigil.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A draft rule backtested over the stored journal reads every family of fields a live rule reads:
 * the event's own fields (device, card, login, attributes) from the stored event, and the signals
 * reference data answers (e-mail lists, phone, card BIN, account country, amount in the base
 * currency) recomputed from it. Each case stores two decisions of one account, one with the field
 * and one without, and the draft (for that account) must fire once: on the first.
 */
class RuleBacktestFieldsApiTest extends ConsoleServerBase {

  /** Stores the event with and without {@code extra}; backtests the expression (for this account) and checks it fires once, on the first. */
  private void firesOnlyWithTheField(String family, String type, Map<String, Object> extra, String expression) {
    String account = ApiTestSupport.id("acct_bt_" + family);
    Map<String, Object> with = event(type, account);
    with.putAll(extra);
    ApiClient.Reply stored = api.post("/v1/decisions", with);
    assertEquals(200, stored.status(), stored.body());
    ApiClient.Reply plain = api.post("/v1/decisions", event(type, account));
    assertEquals(200, plain.status(), plain.body());

    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", "draft_" + family);
    rule.put("event_types", List.of(type));
    rule.put("expression", "event.account_id == \"" + account + "\" && (" + expression + ")");
    rule.put("effect", Map.of("action", "DENY"));
    rule.put("reason", family);
    ApiClient.Reply r = api.post("/v1/rules/backtest", Map.of("rule", rule, "days", 1));
    assertEquals(200, r.status(), r.body());
    assertEquals(0, ((Number) r.json().get("errors")).intValue(), family + ": " + r.body());
    assertEquals(1, ((Number) r.json().get("fires")).intValue(), family + ": " + r.body());
    assertThat(((Number) r.json().get("evaluated")).intValue()).isGreaterThanOrEqualTo(2);
  }

  private static Map<String, Object> event(String type, String account) {
    Map<String, Object> e = new LinkedHashMap<>(Events.payment(ApiTestSupport.id("ev_bt"), account, 1_500));
    e.put("type", type);
    if (type.equals("login")) {
      e.remove("amount");
      e.remove("currency");
    }
    return e;
  }

  @Test
  void device() {
    firesOnlyWithTheField("device", "payment", Map.of("device", Map.of("id", "dev_rs_1", "fingerprint", "fp_rs_1")),
        "event.device_id == \"dev_rs_1\" && event.device_fingerprint == \"fp_rs_1\"");
  }

  @Test
  void ipAndEmail() {
    // The IP reputation lists (proxy, VPN, Tor) and the geo database are empty unless installed: the e-mail lists are built in.
    firesOnlyWithTheField("ip", "payment", Map.of("ip", "192.0.2.66", "email", "someone@gmail.com"),
        "event.ip == \"192.0.2.66\" && event.email_domain == \"gmail.com\" && email.free_mail && !email.disposable");
  }

  @Test
  void accountCountryAndGeography() {
    firesOnlyWithTheField("geo", "payment", Map.of("account_country", "BD", "ip", "192.0.2.66"),
        "account.country == \"BD\" && event.ip == \"192.0.2.66\"");
  }

  @Test
  void phone() {
    firesOnlyWithTheField("phone", "payment", Map.of("phone", "+8801712345678"), "phone.valid && phone.country == \"BD\"");
  }

  @Test
  void card() {
    firesOnlyWithTheField("card", "payment", Map.of("card", Map.of("bin", "411100", "last4", "1234")),
        "event.card_bin == \"411100\" && card.bin_known && card.scheme == \"visa\" && card.country == \"BD\"");
  }

  @Test
  void login() {
    firesOnlyWithTheField("login", "login", Map.of("login", Map.of("success", false)), "event.login_failed");
  }

  @Test
  void attributes() {
    firesOnlyWithTheField("attributes", "payment", Map.of("attributes", Map.of("segment", "vip_rs")),
        "\"segment\" in event.attributes && event.attributes[\"segment\"] == \"vip_rs\"");
  }

  @Test
  void amountInTheBaseCurrency() {
    firesOnlyWithTheField("amount_base", "payment", Map.of("amount", 250_000),
        "event.amount_base_known && event.amount_base >= 2500.0 && event.base_currency == \"USD\"");
  }
}
