package io.vigil.engine.signal;

/**
 * A reference-data file (geo database, BIN table, prefix table, domain list …) that cannot be
 * used. The message says what is wrong and where (file and line when there is one), in words an
 * operator can act on; the previous version of the data stays live.
 */
public final class ReferenceDataException extends Exception {
  private final String component;

  /** @param component the reference-data name, e.g. {@code geo_city}, {@code bin_table} */
  public ReferenceDataException(String component, String message) {
    super(message);
    this.component = component;
  }

  public ReferenceDataException(String component, String message, Throwable cause) {
    super(message, cause);
    this.component = component;
  }

  public String component() {
    return component;
  }
}
