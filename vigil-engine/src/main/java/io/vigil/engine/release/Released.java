package io.vigil.engine.release;

import io.vigil.engine.policy.Decision;

/** A decision made while a release runs, with how the release met it (null when none runs). */
public record Released(Decision decision, ReleaseOutcome release) {}
