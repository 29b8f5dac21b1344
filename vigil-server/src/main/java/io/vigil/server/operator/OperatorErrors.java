package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import java.util.List;

/** The errors of sign-in and operator administration (docs/api.md lists each code). */
final class OperatorErrors {
  private OperatorErrors() {}

  static ApiException loginFailed() {
    return new ApiException(401, "authentication_error", "login_failed", "The username or the password is wrong", null);
  }

  static ApiException accountLocked() {
    return new ApiException(401, "authentication_error", "account_locked",
        "The account is locked after repeated failed sign-ins; wait, or ask an administrator to unlock it", null);
  }

  static ApiException totpInvalid(String param) {
    return new ApiException(401, "authentication_error", "totp_invalid",
        "The code is wrong, out of its time window, or was used already", param);
  }

  static ApiException loginRequired() {
    return new ApiException(401, "authentication_error", "login_required",
        "No sign-in is in progress in this session, or it took too long; start again with POST /v1/auth/login", null);
  }

  static ApiException wrongStep(String expected) {
    return ApiException.conflict("invalid_request_error", "login_step_invalid",
        "This sign-in is not at this step; the next step is " + expected, null);
  }

  static ApiException passwordTooWeak(List<String> reasons) {
    return ApiException.invalid("password_too_weak", "The new password is refused: " + String.join(", ", reasons), "new_password");
  }

  static ApiException operatorNotFound() {
    return ApiException.notFound("operator_not_found", "No operator with this username", "username");
  }
}
