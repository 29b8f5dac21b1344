package io.vigil.engine.screening;

import io.vigil.engine.event.Event;

/**
 * Screens the parties of one event against the live lists and the blocked countries. The server
 * installs one in the engine; the engine asks it the first time a rule reads a {@code screening.*}
 * signal, once per decision. It must be fast and must not block: it runs on the decision path.
 */
@FunctionalInterface
public interface Screener {
  /** Screens nothing: no lists installed. */
  Screener NONE = event -> ScreeningOutcome.CLEAR;

  ScreeningOutcome screen(Event event);
}
