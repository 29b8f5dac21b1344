package io.vigil.server.policy.stats;

import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each rule was last changed, and by whom, from the policy's version history (its change
 * summaries: "create rule x", "update rule x", "enable rule x", "disable rule x"). The newest
 * {@link #VERSIONS_READ_MAX} versions are read; a rule whose last change is older than those (or
 * that came with the first policy) counts as changed by the oldest version read, its time and author.
 */
public final class RuleChanges {
  /** Policy versions read per look-up, newest first. */
  static final int VERSIONS_READ_MAX = 2_000;
  private static final int PAGE_ROWS = 200;
  private static final Pattern RULE_CHANGE = Pattern.compile("(create|update|enable|disable) rule (.+)");

  static {
    assert PAGE_ROWS <= VERSIONS_READ_MAX;
  }

  private final PolicyService policies;

  public RuleChanges(PolicyService policies) {
    this.policies = policies;
  }

  /** A rule's last change: the policy version, when, by whom. */
  public record Change(long version, long atMillis, String by) {}

  /** The last change of each of these rule ids (every id gets one; see the class comment for old rules). */
  public Map<String, Change> lastChanges(List<String> ruleIds) {
    Map<String, Change> out = new HashMap<>();
    Change oldest = null;
    Long before = null;
    int read = 0;
    while (read < VERSIONS_READ_MAX && out.size() < ruleIds.size()) {
      List<PolicyRepository.Version> page = policies.history(before, Math.min(PAGE_ROWS, VERSIONS_READ_MAX - read));
      for (PolicyRepository.Version v : page) {
        Change c = new Change(v.version(), v.createdAtMillis(), v.createdBy());
        oldest = c;
        Matcher m = RULE_CHANGE.matcher(v.changeSummary() == null ? "" : v.changeSummary());
        if (m.matches() && ruleIds.contains(m.group(2))) out.putIfAbsent(m.group(2), c);
      }
      read += page.size();
      if (page.size() < PAGE_ROWS) break;
      before = page.get(page.size() - 1).version();
    }
    for (String id : ruleIds) {
      if (oldest != null) out.putIfAbsent(id, oldest);
    }
    return out;
  }
}
