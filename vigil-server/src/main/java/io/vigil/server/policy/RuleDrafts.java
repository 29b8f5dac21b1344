package io.vigil.server.policy;

import dev.cel.common.types.CelType;
import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.rule.CompiledRule;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.signal.SignalState;
import io.vigil.engine.signal.Signals;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Params;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.journal.StorageException;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.reference.ReferenceService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Draft rules checked before they are saved: compiled (validate), evaluated against one pasted
 * event (test), or run over the stored journal of the last days (backtest). Nothing is stored.
 * The draft is compiled by the engine's rule compiler and evaluated by its compiled rule; what it
 * reads comes from {@link DraftValues}.
 */
@Component
public final class RuleDrafts {
  /** Longest backtest window, in days: the journal's recent past, not its whole history. */
  public static final int BACKTEST_DAYS_MAX = 30;
  /** Most journal rows a backtest reads (newest first); more are left out and the answer says so. */
  public static final int BACKTEST_ROWS_MAX = 10_000;
  /** Rows read per journal query. */
  private static final int BACKTEST_PAGE_ROWS = 500;
  /** Decisions whose action would change, listed in the answer (all are counted). */
  public static final int BACKTEST_CHANGES_SHOWN_MAX = 50;
  /** Decision ids per label query. */
  private static final int LABEL_QUERY_IDS_MAX = 500;
  /** Most names a test's {@code values} may set. */
  private static final int TEST_VALUES_MAX = 200;
  private static final long DAY_MILLIS = 86_400_000L;
  private static final String DRAFT_ID = "draft";

  static {
    assert BACKTEST_PAGE_ROWS <= BACKTEST_ROWS_MAX;
    assert LABEL_QUERY_IDS_MAX <= 1_000;
  }

  /** The decision event's card-number exemptions (a phone, a declared national ID), for the event nested under "event". */
  @SuppressWarnings("unchecked")
  private static final CardNumbers.Exemption EVENT_EXEMPTION = (root, path, text) ->
      path.startsWith("event.") && root.get("event") instanceof Map<?, ?> event
          && EventParser.CARD_NUMBER_EXEMPTION.exempt((Map<String, Object>) event, path.substring("event.".length()), text);

  private final PolicyService policies;
  private final RuleCompiler compiler;
  private final ListIndex lists;
  private final JournalRepository journal;
  private final JournalPrivacy privacy;
  private final DataSource dataSource;
  private final Clock clock;
  private final ReferenceService reference;
  private final SignalConfig signalConfig;

  public RuleDrafts(PolicyService policies, ListIndex lists, JournalRepository journal,
      JournalPrivacy privacy, DataSource dataSource, Clock clock, ReferenceService reference, SignalConfig signalConfig) {
    this.reference = reference;
    this.signalConfig = signalConfig;
    this.policies = policies;
    this.compiler = policies.compiler();
    this.lists = lists;
    this.journal = journal;
    this.privacy = privacy;
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** A draft rule and its compiled form. */
  public record Draft(RuleDefinition definition, CompiledRule compiled) {}

  /**
   * Parses and compiles a rule as {@code POST /v1/rules} does, with the same errors; an absent id
   * reads as {@code draft}. {@code prefix} ("" or "rule") names the rule object in error params.
   */
  @SuppressWarnings("unchecked")
  public Draft compile(Object raw, String prefix) {
    String param = prefix.isEmpty() ? null : prefix;
    if (raw == null) throw ApiException.invalid("missing_field", "rule is required: an object as POST /v1/rules takes", param);
    if (!(raw instanceof Map<?, ?> given)) throw ApiException.invalid("wrong_type", "rule must be an object", param);
    Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) given);
    m.putIfAbsent("id", DRAFT_ID);
    String dot = prefix.isEmpty() ? "" : prefix + ".";
    try {
      RuleDefinition definition = PolicyMaps.parseRule(m, null);
      return new Draft(definition, compiler.compile(definition));
    } catch (RuleCompileException e) {
      throw prefix.isEmpty() ? e : new RuleCompileException(e.ruleId(), dot + e.param(), e.issues());
    } catch (ApiException e) {
      throw prefix.isEmpty() ? e : ApiException.invalid(e.code(), e.getMessage(), e.param() == null ? prefix : dot + e.param());
    }
  }

  /** The answer of {@code POST /v1/rules/validate} for a rule that compiles. */
  public Map<String, Object> validate(byte[] body) {
    Draft d = compile(Json.parseObject(body), "");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", true);
    m.put("id", d.definition().id());
    m.put("referenced_names", d.compiled().referencedNames());
    return m;
  }

  /** {@code POST /v1/rules/test}: {"rule": {...}, "event": {...}, "values": {...}}. */
  public Map<String, Object> test(byte[] body) {
    Map<String, Object> m = Json.parseObject(body, EVENT_EXEMPTION);
    Params.checkFields(m, Set.of("rule", "event", "values"), "");
    Draft d = compile(m.get("rule"), "rule");
    Event event = parseEvent(m.get("event"));
    Map<String, Object> known = givenValues(m.get("values"));
    DraftValues values = new DraftValues(event, known, compiler.declarations(), lists, clock.millis(), zoneOf(event), signals(event));
    Map<String, Object> out = new LinkedHashMap<>();
    boolean applies = d.definition().appliesTo(event.type());
    out.put("applies", applies);
    boolean fires = false;
    String error = null;
    if (applies) {
      try {
        fires = d.compiled().evaluate(values);
      } catch (Exception e) {
        error = String.valueOf(e.getMessage());
      }
    }
    out.put("fires", fires);
    out.put("values", readValues(d, values));
    if (fires) out.put("reason", d.compiled().message(values));
    if (error != null) out.put("error", error);
    return out;
  }

  private static Event parseEvent(Object raw) {
    if (raw == null) throw ApiException.invalid("missing_field", "event is required: a body of POST /v1/decisions", "event");
    if (!(raw instanceof Map<?, ?> tree)) throw ApiException.invalid("wrong_type", "event must be an object: a body of POST /v1/decisions", "event");
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> event = (Map<String, Object>) tree;
      return EventParser.parse(event);
    } catch (ValidationException e) {
      throw ApiException.invalid(e.code(), e.getMessage(), e.param() == null ? "event" : "event." + e.param());
    }
  }

  private Map<String, Object> givenValues(Object raw) {
    if (raw == null) return Map.of();
    if (!(raw instanceof Map<?, ?> given)) throw ApiException.invalid("wrong_type", "values must be an object of names to values", "values");
    if (given.size() > TEST_VALUES_MAX) {
      throw ApiException.invalid("too_many_items", "values sets at most " + TEST_VALUES_MAX + " names", "values");
    }
    Map<String, CelType> declared = compiler.declarations();
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<?, ?> e : given.entrySet()) {
      String name = String.valueOf(e.getKey());
      CelType type = declared.get(name);
      if (type == null) throw ApiException.invalid("unknown_field", "values names a variable rules cannot read; param names it", "values." + PolicyMaps.truncate(name));
      if (DraftValues.convert(e.getValue(), type) == null) {
        throw ApiException.invalid("wrong_type", "the value does not have the variable's type (" + type.name() + ")", "values." + name);
      }
      out.put(name, e.getValue());
    }
    return out;
  }

  /** The event's signals that reference data alone answers (with the reference data in force now). */
  private Signals signals(Event event) {
    return SignalState.referenceOnly(event, reference.current(), signalConfig);
  }

  private ZoneId zoneOf(Event event) {
    CompiledPolicy p = policies.active();
    return event.timezone() != null ? ZoneId.of(event.timezone()) : p.defaultZone();
  }

  private static Map<String, Object> readValues(Draft d, DraftValues values) {
    Map<String, Object> read = new LinkedHashMap<>();
    for (String name : d.compiled().referencedNames()) {
      Object v = values.value(name);
      if (v != null && !name.equals("event.attributes")) read.put(name, v);
    }
    return read;
  }

  /** {@code POST /v1/rules/backtest}: {"rule": {...}, "days": 1-30}. */
  public Map<String, Object> backtest(byte[] body) {
    Map<String, Object> m = Json.parseObject(body);
    Params.checkFields(m, Set.of("rule", "days"), "");
    Object rawDays = m.get("days");
    if (rawDays == null) throw ApiException.invalid("missing_field", "days is required: 1 to " + BACKTEST_DAYS_MAX, "days");
    if (!(rawDays instanceof Integer || rawDays instanceof Long)) throw ApiException.invalid("wrong_type", "days must be an integer", "days");
    long days = ((Number) rawDays).longValue();
    if (days < 1 || days > BACKTEST_DAYS_MAX) {
      throw ApiException.invalid("out_of_range", "days is from 1 to " + BACKTEST_DAYS_MAX, "days");
    }
    Draft d = compile(m.get("rule"), "rule");
    long to = clock.millis();
    Backtest run = new Backtest(d, policies.document(), policies.rule(d.definition().id()).orElse(null));
    run.read(to - days * DAY_MILLIS);
    Map<String, Object> out = run.answer();
    out.put("days", days);
    out.put("from", Instant.ofEpochMilli(to - days * DAY_MILLIS).toString());
    out.put("to", Instant.ofEpochMilli(to).toString());
    return out;
  }

  /** One backtest's tally. */
  private final class Backtest {
    final Draft draft;
    final PolicyDocument document;
    final RuleDefinition live;
    final Map<String, CelType> declared = compiler.declarations();
    final List<String> fired = new ArrayList<>();
    final List<Map<String, Object>> changes = new ArrayList<>();
    final long nowMillis = clock.millis();
    int read;
    int evaluated;
    int liveFires;
    int changed;
    int errors;
    boolean truncated;

    Backtest(Draft draft, PolicyDocument document, RuleDefinition live) {
      this.draft = draft;
      this.document = document;
      this.live = live;
    }

    void read(long fromMillis) {
      EventType only = draft.definition().eventTypes().size() == 1 ? draft.definition().eventTypes().iterator().next() : null;
      JournalRepository.Filter filter = new JournalRepository.Filter(null, only == null ? null : only.wireName(), null,
          fromMillis, null, null, null, null, null, null, null, null, null);
      Long before = null;
      while (read < BACKTEST_ROWS_MAX) {
        int want = Math.min(BACKTEST_PAGE_ROWS, BACKTEST_ROWS_MAX - read);
        List<JournalRow> rows = journal.query(filter, before, want);
        for (JournalRow row : rows) one(row);
        read += rows.size();
        if (rows.size() < want) return;
        before = rows.get(rows.size() - 1).record().sequence();
      }
      truncated = !journal.query(filter, before, 1).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private void one(JournalRow row) {
      Event event;
      Map<String, Object> response;
      try {
        event = EventParser.parse(privacy.openEvent(row.record().eventJson(), JournalPrivacy.Reading.REPLAY));
        response = Json.readMap(privacy.openResponse(row.record().responseJson(), row.record().eventId()));
      } catch (RuntimeException e) {
        errors++;
        return;
      }
      if (!draft.definition().appliesTo(event.type())) return;
      evaluated++;
      List<Map<String, Object>> reasons = response.get("reasons") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
      Map<String, Object> known = new HashMap<>();
      boolean liveFired = false;
      for (Map<String, Object> r : reasons) {
        liveFired |= draft.definition().id().equals(r.get("rule_id"));
        if (r.get("values") instanceof Map<?, ?> v) ((Map<String, Object>) v).forEach(known::putIfAbsent);
      }
      if (liveFired) liveFires++;
      boolean fires;
      try {
        fires = draft.compiled().evaluate(new DraftValues(event, known, declared, lists, nowMillis, zoneOf(event), signals(event)));
      } catch (Exception e) {
        errors++;
        return;
      }
      if (fires) fired.add(row.record().decisionId());
      Action stored = Action.valueOf(row.action());
      Action would = wouldBe(stored, row, response, reasons, fires, liveFired, event.type());
      if (would != stored) {
        changed++;
        if (changes.size() < BACKTEST_CHANGES_SHOWN_MAX) {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("decision_id", row.record().decisionId());
          c.put("occurred_at", Instant.ofEpochMilli(row.occurredAtMillis()).toString());
          c.put("event_type", row.eventType());
          c.put("action", stored.name());
          c.put("would_be", would.name());
          changes.add(c);
        }
      }
    }

    /**
     * The action the decision would have had with the draft in place of the live rule of its id:
     * an estimate from the stored decision (its score and its other reasons as recorded), not a
     * new decision. The rules' points move the score by the policy's rules weight.
     */
    private Action wouldBe(Action stored, JournalRow row, Map<String, Object> response, List<Map<String, Object>> reasons,
        boolean fires, boolean liveFired, EventType type) {
      if (!fires && !liveFired) return stored;
      if (fires && liveFired && live != null && live.effect().equals(draft.definition().effect())) return stored;
      Action forced = Action.ALLOW;
      int oldPoints = 0;
      for (Map<String, Object> r : reasons) {
        String action = r.get("action") instanceof String s ? s : null;
        if ("ALLOW".equals(action)) return stored; // an allow-list entry decided it
        if (draft.definition().id().equals(r.get("rule_id"))) {
          if (r.get("points") instanceof Number n) oldPoints += n.intValue();
          continue;
        }
        if (action != null) forced = forced.atLeast(Action.valueOf(action));
      }
      int newPoints = 0;
      if (fires && draft.definition().effect().forces()) {
        forced = forced.atLeast(Action.valueOf(draft.definition().effect().forcedAction().name()));
      } else if (fires) {
        newPoints = draft.definition().effect().points();
      }
      int rulesScore = response.get("scores") instanceof Map<?, ?> s && s.get("rules") instanceof Number n ? n.intValue() : 0;
      int newRules = Math.max(0, Math.min(100, rulesScore - oldPoints + newPoints));
      int score = (int) Math.max(0, Math.min(100, row.score() + Math.round(document.rulesWeight() * (newRules - rulesScore))));
      return document.thresholdsFor(type).action(score).atLeast(forced);
    }

    Map<String, Object> answer() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("rule_id", draft.definition().id());
      out.put("read", read);
      out.put("truncated", truncated);
      out.put("evaluated", evaluated);
      out.put("fires", fired.size());
      out.put("fire_rate", evaluated == 0 ? 0.0 : Math.round(1e4 * fired.size() / (double) evaluated) / 1e4);
      Map<String, Boolean> labels = labels(fired);
      long fraud = labels.values().stream().filter(Boolean::booleanValue).count();
      out.put("labelled", labels.size());
      out.put("labelled_fraud", fraud);
      out.put("precision", labels.isEmpty() ? null : Math.round(1e4 * fraud / (double) labels.size()) / 1e4);
      out.put("live_fires", live == null ? null : liveFires);
      out.put("action_changes", changed);
      out.put("changes", changes);
      out.put("errors", errors);
      return out;
    }
  }

  /** For each decision id that has a fraud or legitimate label: whether any label says fraud. */
  Map<String, Boolean> labels(List<String> decisionIds) {
    Map<String, Boolean> out = new HashMap<>();
    for (int i = 0; i < decisionIds.size(); i += LABEL_QUERY_IDS_MAX) {
      List<String> batch = decisionIds.subList(i, Math.min(decisionIds.size(), i + LABEL_QUERY_IDS_MAX));
      String sql = "SELECT decision_id, verdict FROM feedback_labels WHERE verdict IN ('fraud', 'legitimate') AND decision_id IN ("
          + String.join(",", Collections.nCopies(batch.size(), "?")) + ")";
      try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        for (int k = 0; k < batch.size(); k++) ps.setString(k + 1, batch.get(k));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.merge(rs.getString(1), "fraud".equals(rs.getString(2)), Boolean::logicalOr);
        }
      } catch (SQLException e) {
        throw new StorageException("reading feedback labels failed", e);
      }
    }
    return out;
  }
}
