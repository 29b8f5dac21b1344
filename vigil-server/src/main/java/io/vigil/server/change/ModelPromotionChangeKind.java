package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.model.ModelService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A stored model made live, shadow or inactive: {@code {"model_id": "…", "role": "live"}}. The live
 * "version" is a fingerprint of which models hold the live and shadow roles, so a promotion
 * approved after another one changed the roles is a conflict.
 */
@Component
public final class ModelPromotionChangeKind implements ChangeKind {
  public static final String NAME = "model_promotion";
  private static final List<String> ROLES = List.of(ModelRepository.LIVE, ModelRepository.SHADOW, ModelRepository.INACTIVE);
  private final ModelService models;

  public ModelPromotionChangeKind(ModelService models) {
    this.models = models;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Live live() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("live", models.holder(ModelRepository.LIVE).map(ModelRepository.Summary::modelId).orElse(null));
    m.put("shadow", models.holder(ModelRepository.SHADOW).map(ModelRepository.Summary::modelId).orElse(null));
    return new Live(Integer.toUnsignedLong((m.get("live") + "|" + m.get("shadow")).hashCode()), m);
  }

  @Override
  public void validate(Map<String, Object> proposed) {
    Params.checkFields(proposed, Set.of("model_id", "role"), "proposed");
    if (!(proposed.get("model_id") instanceof String id) || id.isEmpty() || id.length() > 64) {
      throw ApiException.invalid("missing_field", "proposed.model_id is required", "proposed.model_id");
    }
    if (!ROLES.contains(proposed.get("role"))) {
      throw ApiException.invalid("invalid_role", "proposed.role must be live, shadow or inactive", "proposed.role");
    }
    try {
      models.find(id);
    } catch (RuntimeException e) {
      throw ApiException.invalid("model_not_found", "No model has this id", "proposed.model_id");
    }
  }

  @Override
  public Map<String, Object> difference(Map<String, Object> proposed) {
    Map<String, Object> after = new LinkedHashMap<>(live().configuration());
    String role = (String) proposed.get("role");
    after.replaceAll((r, id) -> proposed.get("model_id").equals(id) ? null : id);
    if (!ModelRepository.INACTIVE.equals(role)) after.put(role, proposed.get("model_id"));
    return ChangeDifference.of(live().configuration(), after, List.of("live", "shadow"));
  }

  @Override
  public long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary) {
    synchronized (models) { // ModelService.setRole holds this lock too
      if (live().version() != baseVersion) {
        throw ApiException.conflict("invalid_request_error", "change_conflict", "The model roles changed since this change was drafted;"
            + " rebase it", "base_version");
      }
      validate(proposed);
      models.setRole((String) proposed.get("model_id"), (String) proposed.get("role"));
      return live().version();
    }
  }
}
