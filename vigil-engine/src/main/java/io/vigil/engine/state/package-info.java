/**
 * Checkpoints of the engine's derived state: each state class writes its own fields to a
 * {@link io.vigil.engine.state.StateWriter} and reads them back from a
 * {@link io.vigil.engine.state.StateReader}, one named part per class, each with a header (part
 * name, format version) and an end mark. {@code Engine#checkpoint} serializes every part to memory
 * ({@link io.vigil.engine.state.StateBuffer}) on the deciding thread; where the bytes go (files,
 * checksums, a manifest) is the server's business.
 */
package io.vigil.engine.state;
