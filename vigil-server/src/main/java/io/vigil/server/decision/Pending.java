package io.vigil.server.decision;

import io.vigil.engine.policy.Decision;
import io.vigil.engine.restriction.Restriction;
import java.util.List;

/** A decision the sequencer made and numbered, on its way to the journal. */
record Pending(long sequence, String decisionId, DecisionPipeline.Submission submission, Decision decision,
    String responseJson, long recordedAtMillis, List<Restriction> restrictionsSet) {}
