package io.vigil.server.cases.verdict;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.cases.CaseController;
import io.vigil.server.cases.CaseVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/cases/{caseId}/verdict}, checked: the verdict, its reason code, what
 * to do with a pending hold and the account's restrictions, and list entries to add (which the
 * reviewer confirms with {@code confirm_list_entries: true}).
 *
 * <p>Reason codes are the organisation's own: a bounded identifier. A suggested set:
 * {@code stolen_card}, {@code account_takeover}, {@code friendly_fraud}, {@code money_mule},
 * {@code scam_victim}, {@code customer_confirmed}, {@code documents_verified}, {@code known_pattern},
 * {@code duplicate}, {@code not_enough_information}.
 */
public record VerdictRequest(CaseVerdict verdict, String reasonCode, HoldChoice hold, boolean liftRestrictions,
    List<Map<String, Object>> listEntries, Long expectedVersion) {

  static final Set<String> FIELDS = Set.of("verdict", "reason_code", "hold", "restrictions", "list_entries", "confirm_list_entries",
      "expected_version");
  /** A reason code: lower-case letters, digits and underscores, 1 to 64. */
  static final Pattern REASON_CODE = Pattern.compile("[a-z0-9_]{1,64}");
  /** List entries one verdict adds at most. */
  public static final int LIST_ENTRIES_MAX = 20;

  public VerdictRequest {
    listEntries = List.copyOf(listEntries);
    assert listEntries.size() <= LIST_ENTRIES_MAX : listEntries.size();
  }

  /** What the verdict does with a pending hold of the case's decisions. */
  public enum HoldChoice {
    /** The hold is approved by the verdict: the payment goes ahead. */
    RELEASE,
    /** The hold is rejected: the payment is refused and its limit reservation given back. */
    DENY,
    /** The hold is left to its approvals, step-up and deadline. */
    KEEP;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static HoldChoice ofWire(String wire) {
      for (HoldChoice h : values()) {
        if (h.wire().equals(wire)) return h;
      }
      return null;
    }

    /** deny for confirmed fraud, release for legitimate, keep for inconclusive. */
    static HoldChoice defaultFor(CaseVerdict v) {
      return switch (v) {
        case CONFIRMED_FRAUD -> DENY;
        case LEGITIMATE -> RELEASE;
        case INCONCLUSIVE -> KEEP;
      };
    }
  }

  @SuppressWarnings("unchecked")
  static VerdictRequest parse(byte[] raw) {
    Map<String, Object> body = Params.object(raw, FIELDS);
    String verdictWire = Params.string(body, "verdict", true, 32);
    CaseVerdict verdict = CaseVerdict.ofWire(verdictWire);
    if (verdict == null) {
      throw ApiException.invalid("invalid_verdict", "verdict must be confirmed_fraud, legitimate or inconclusive", "verdict");
    }
    String reasonCode = Params.string(body, "reason_code", true, 64);
    if (!REASON_CODE.matcher(reasonCode).matches()) {
      throw ApiException.invalid("invalid_reason_code", "reason_code must be 1 to 64 lower-case letters, digits or underscores",
          "reason_code");
    }
    String holdWire = Params.string(body, "hold", false, 16);
    HoldChoice hold = holdWire == null ? HoldChoice.defaultFor(verdict) : HoldChoice.ofWire(holdWire);
    if (hold == null) throw ApiException.invalid("invalid_hold", "hold must be release, deny or keep", "hold");
    String restrictions = Params.string(body, "restrictions", false, 16);
    if (restrictions != null && !restrictions.equals("lift") && !restrictions.equals("keep")) {
      throw ApiException.invalid("invalid_restrictions", "restrictions must be lift or keep", "restrictions");
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    Object rawEntries = body.get("list_entries");
    if (rawEntries != null) {
      if (!(rawEntries instanceof List<?> list) || list.size() > LIST_ENTRIES_MAX) {
        throw ApiException.invalid("invalid_list_entries", "list_entries must be an array of at most " + LIST_ENTRIES_MAX + " entries",
            "list_entries");
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> entry)) {
          throw ApiException.invalid("invalid_list_entries", "each list entry must be an object {list, entity, value}",
              "list_entries[" + i + "]");
        }
        entries.add((Map<String, Object>) entry);
      }
    }
    Object confirm = body.get("confirm_list_entries");
    if (confirm != null && !(confirm instanceof Boolean)) {
      throw ApiException.invalid("wrong_type", "confirm_list_entries must be true or false", "confirm_list_entries");
    }
    if (!entries.isEmpty() && !Boolean.TRUE.equals(confirm)) {
      throw ApiException.invalid("confirmation_required",
          "Adding list entries with a verdict needs confirm_list_entries: true (the reviewer confirms them)", "confirm_list_entries");
    }
    return new VerdictRequest(verdict, reasonCode, hold, "lift".equals(restrictions), entries, CaseController.expectedVersion(body));
  }
}
