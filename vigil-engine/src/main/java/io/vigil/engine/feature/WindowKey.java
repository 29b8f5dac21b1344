package io.vigil.engine.feature;

/**
 * A key of a disk-backed store: the entity and the keyed 128-bit hash of the identifier
 * ({@code lo} is also the 64-bit hash that partner sets compare). The identifier itself is not kept.
 */
record WindowKey(int entity, long hi, long lo) {}
