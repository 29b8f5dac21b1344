package io.vigil.server.cases;

import io.vigil.server.api.Json;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A decision that must reach a person, and why: what routing and grouping read. Built from the
 * decision's journal row, so a case says exactly what the decision recorded.
 *
 * @param entities the parties the event names ({@code account}, {@code merchant}, {@code counterparty}: their ids)
 * @param interceptedAtMillis when the decision was made (recorded): the SLA counts from here
 */
public record CaseTrigger(String decisionId, CaseOrigin origin, String accountId, String eventType, String action,
    String riskLevel, Long amountMinor, String currency, Set<String> ruleIds, Map<String, String> entities,
    long interceptedAtMillis) {

  public CaseTrigger {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(origin, "origin");
    ruleIds = Set.copyOf(ruleIds);
    entities = Map.copyOf(entities);
  }

  /** The event fields that name a party to the payment, and the entity type each becomes. */
  private static final Map<String, String> PARTY_FIELDS = partyFields();

  private static Map<String, String> partyFields() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("account_id", "account");
    m.put("merchant_id", "merchant");
    m.put("counterparty_id", "counterparty");
    return m;
  }

  public static CaseTrigger of(JournalRow row, CaseOrigin origin) {
    Map<String, Object> event = Json.readMap(row.record().eventJson());
    Map<String, String> entities = new LinkedHashMap<>();
    PARTY_FIELDS.forEach((field, type) -> {
      if (event.get(field) instanceof String id && !id.isEmpty()) entities.put(type, id);
    });
    Set<String> rules = DecisionRules.ruleIds(Json.readMap(row.record().responseJson()));
    return new CaseTrigger(row.record().decisionId(), origin, row.accountId(), row.eventType(), row.action(), row.riskLevel(),
        row.amountMinor(), row.currency(), rules, entities, row.record().recordedAtMillis());
  }

  /** 1 (most urgent) to 4, from the decision's risk level. */
  public int priority() {
    if (riskLevel == null) return 4;
    return switch (riskLevel.toLowerCase(Locale.ROOT)) {
      case "critical" -> 1;
      case "high" -> 2;
      case "medium" -> 3;
      default -> 4;
    };
  }

  /** The rule ids, sorted, for the timeline. */
  public List<String> sortedRuleIds() {
    return ruleIds.stream().sorted().toList();
  }
}
