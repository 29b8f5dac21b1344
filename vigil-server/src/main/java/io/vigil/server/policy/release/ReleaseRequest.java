package io.vigil.server.policy.release;

import io.vigil.engine.policy.PolicyDocument;

/**
 * An approved change to release gradually: the candidate policy, the live version it was built
 * on, how it meets traffic, and who approved it. {@code percent} is 0–100 for a gray release and
 * ignored for a shadow one.
 */
public record ReleaseRequest(String changeRequestId, PolicyDocument candidate, long baseVersion, ReleaseMode mode, int percent,
    String actor) {}
