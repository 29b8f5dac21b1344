package io.vigil.engine.event;

/**
 * Input the engine refuses. Carries a stable machine-readable {@code code}, the offending
 * {@code param} (a dotted path such as {@code device.id}) and a human-readable message.
 *
 * <p>The message never repeats the offending value: it may be personal data or a card number.
 */
public final class ValidationException extends RuntimeException {
  private final String code;
  private final String param;

  public ValidationException(String code, String param, String message) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }
}
