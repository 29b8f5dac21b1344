package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.reference.ReferenceRepository;
import io.vigil.server.reference.ReferenceService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Reloading the reference data (geo, BIN, phone) from its directory: the proposal is empty
 * ({@code {}}); going live loads the files as they are then, as a new reference version.
 */
@Component
public final class ReferenceReloadChangeKind implements ChangeKind {
  public static final String NAME = "reference_reload";
  private final ReferenceService reference;

  public ReferenceReloadChangeKind(ReferenceService reference) {
    this.reference = reference;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Live live() {
    ReferenceRepository.Version v = reference.currentRecord();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("loaded_at", Instant.ofEpochMilli(v.loadedAtMillis()).toString());
    m.put("loaded_by", v.loadedBy());
    return new Live(v.version(), m);
  }

  @Override
  public void validate(Map<String, Object> proposed) {
    Params.checkFields(proposed, Set.of(), "proposed");
  }

  @Override
  public Map<String, Object> difference(Map<String, Object> proposed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reload", Map.of("before", live().configuration(), "after", "the files in the reference directory when it goes live"));
    return m;
  }

  @Override
  public long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary) {
    synchronized (reference) { // ReferenceService.reload holds this lock too
      if (reference.currentRecord().version() != baseVersion) {
        throw ApiException.conflict("invalid_request_error", "change_conflict", "Reference data is at version "
            + reference.currentRecord().version() + ", not " + baseVersion + "; rebase the change", "base_version");
      }
      reference.reload(actor);
      return reference.currentRecord().version();
    }
  }
}
