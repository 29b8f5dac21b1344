package io.vigil.server.change;

import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.policy.PolicyDocuments;
import io.vigil.server.policy.PolicyService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The whole policy document (rules, scorecards, thresholds, weights, limits, challenge and hold
 * policies). A proposal may name only the sections it changes; the rest is taken from the live
 * policy when drafted. Going live installs one new policy version through {@link PolicyService}.
 */
@Component
public final class PolicyChangeKind implements ChangeKind, ChangeDrafting {
  public static final String NAME = "policy";
  private final PolicyService policies;

  public PolicyChangeKind(PolicyService policies) {
    this.policies = policies;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Live live() {
    PolicyDocument d = policies.document();
    // Through JSON, as a stored proposal is read back: numbers compare equal (5 is 5, not 5L against 5).
    return new Live(d.version(), Json.readMap(Json.write(PolicyDocuments.render(d))));
  }

  @Override
  public Map<String, Object> complete(Map<String, Object> proposed) {
    Map<String, Object> whole = new LinkedHashMap<>(live().configuration());
    whole.putAll(proposed);
    whole.remove("version");
    // A round trip through JSON makes the stored proposal plain maps and lists, as read back.
    return Json.readMap(Json.write(whole));
  }

  @Override
  public void validate(Map<String, Object> proposed) {
    PolicyDocument d = PolicyDocuments.parse(proposed, 0, policies.compiler(), "proposed");
    try {
      CompiledPolicy.compile(d, policies.compiler());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_policy", e.getMessage(), "proposed");
    }
  }

  @Override
  public Map<String, Object> difference(Map<String, Object> proposed) {
    return ChangeDifference.of(live().configuration(), proposed, PolicyDocuments.SECTIONS.stream().filter(s -> !s.equals("version"))
        .sorted().toList());
  }

  @Override
  public long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary) {
    PolicyDocument d = PolicyDocuments.parse(proposed, 0, policies.compiler(), "proposed");
    return policies.install(d, baseVersion, actor, summary).version();
  }

  /** The document of a stored version, as a proposal (for a rollback). */
  public Map<String, Object> version(long version) {
    String document = policies.version(version)
        .orElseThrow(() -> ApiException.notFound("policy_version_not_found", "No such policy version", "rollback_to_version")).document();
    Map<String, Object> m = new LinkedHashMap<>(Json.readMap(document));
    m.remove("version");
    return m;
  }
}
