package io.vigil.engine.state;

import java.io.IOException;
import java.io.InputStream;

/** Opens a part of a checkpoint by name (a file of a checkpoint directory, or a buffer in a test). */
@FunctionalInterface
public interface PartSource {
  InputStream open(String part) throws IOException;
}
