package io.vigil.engine.feature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names rules use for features, and where each value lives.
 *
 * <pre>
 * velocity.&lt;entity&gt;.count_&lt;window&gt;            events of this key in the window (this one included)
 * velocity.&lt;entity&gt;.sum_&lt;window&gt;              amounts in minor units, same currency as the event
 * velocity.&lt;entity&gt;.failed_logins_&lt;window&gt;    login events with login.success = false
 * velocity.&lt;entity&gt;.near_threshold_&lt;window&gt;   amounts just under the reporting threshold
 * velocity.&lt;entity&gt;.distinct_&lt;partners&gt;_&lt;window&gt;  e.g. velocity.device.distinct_accounts_1h
 * </pre>
 */
public final class FeatureCatalog {
  static final int SLOT_COUNT = 0;
  static final int SLOT_SUM = 1;
  static final int SLOT_FAILED_LOGINS = 2;
  static final int SLOT_NEAR_THRESHOLD = 3;
  static final int SLOT_FIRST_PARTNER = 4;

  /** Where a velocity feature's value lives. */
  public record Ref(Entity entity, int windowIndex, int slot) {}

  private final Map<String, Ref> refs;

  public FeatureCatalog(FeatureConfig config) {
    Map<String, Ref> byName = new LinkedHashMap<>();
    List<Window> windows = config.windows();
    for (Entity entity : Entity.values()) {
      for (int w = 0; w < windows.size(); w++) {
        String suffix = "_" + windows.get(w).name();
        String prefix = "velocity." + entity.wireName() + ".";
        byName.put(prefix + "count" + suffix, new Ref(entity, w, SLOT_COUNT));
        byName.put(prefix + "sum" + suffix, new Ref(entity, w, SLOT_SUM));
        byName.put(prefix + "failed_logins" + suffix, new Ref(entity, w, SLOT_FAILED_LOGINS));
        byName.put(prefix + "near_threshold" + suffix, new Ref(entity, w, SLOT_NEAR_THRESHOLD));
        List<Entity> partners = entity.partners();
        for (int p = 0; p < partners.size(); p++) {
          byName.put(prefix + "distinct_" + partners.get(p).plural() + suffix, new Ref(entity, w, SLOT_FIRST_PARTNER + p));
        }
      }
    }
    this.refs = Collections.unmodifiableMap(byName);
  }

  /** Values per window for an entity: count, sum, failed, near, then one per partner. */
  static int stride(Entity entity) {
    return SLOT_FIRST_PARTNER + entity.partners().size();
  }

  public Map<String, Ref> velocityFeatures() {
    return refs;
  }

  /** Name → value of every feature of one entity key, as returned by {@link FeatureStore#query}. */
  public Map<String, Long> describe(Entity entity, long[] values) {
    Map<String, Long> out = new LinkedHashMap<>();
    String prefix = "velocity." + entity.wireName() + ".";
    for (Map.Entry<String, Ref> e : refs.entrySet()) {
      Ref ref = e.getValue();
      if (ref.entity() != entity) continue;
      long v = values == null ? 0 : values[ref.windowIndex() * stride(entity) + ref.slot()];
      out.put(e.getKey().substring(prefix.length()), v);
    }
    return out;
  }

  public static List<String> factNames() {
    return new ArrayList<>(List.of(
        "facts.first_event_for_account", "facts.first_transaction_for_account",
        "facts.new_device_for_account", "facts.account_known_devices"));
  }
}
