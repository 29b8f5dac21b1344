package io.vigil.engine.screening;

import java.time.LocalDate;
import java.util.Set;

/** A name to screen with its supporting evidence; dateOfBirth and country may be null. */
public record ScreeningQuery(String name, LocalDate dateOfBirth, String country, Set<String> identifiers) {
  public ScreeningQuery {
    identifiers = identifiers == null ? Set.of() : Set.copyOf(identifiers);
  }

  public static ScreeningQuery name(String name) {
    return new ScreeningQuery(name, null, null, Set.of());
  }
}
