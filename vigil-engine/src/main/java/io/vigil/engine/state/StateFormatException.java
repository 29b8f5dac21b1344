package io.vigil.engine.state;

import java.io.IOException;

/** A checkpoint part that is not what this build wrote or can read: damaged, truncated, or of another format. */
public final class StateFormatException extends IOException {
  public StateFormatException(String message) {
    super(message);
  }
}
