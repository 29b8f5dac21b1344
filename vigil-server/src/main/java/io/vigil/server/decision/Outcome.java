package io.vigil.server.decision;

/** What the pipeline answers a submission with. */
public sealed interface Outcome {
  /** A decision, freshly made and durable, or the stored one for a repeated event id. */
  record Response(String json, boolean replay) implements Outcome {}

  /** The event id is already used by a request with a different body. */
  record Conflict() implements Outcome {}

  /** The event id was decided before: the caller reads journal row {@code sequence} and checks its event id. */
  record Lookup(long sequence) implements Outcome {}
}
