package io.vigil.server.journal;

/** A database failure; the API answers it with 503 and nothing half-written. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
