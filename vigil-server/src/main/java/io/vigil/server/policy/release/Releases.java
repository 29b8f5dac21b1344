package io.vigil.server.policy.release;

/**
 * Starts gradual releases of approved policy changes. The change-request service calls it when an
 * approver chooses a shadow or gray release instead of going live at once; stepping the
 * percentage up, stopping and promoting are the release's own API.
 */
public interface Releases {
  /**
   * Starts a release and returns its id. Refuses ({@code ApiException}) a percentage outside
   * 0–100, a base version that is no longer live ({@code 409 change_conflict}), or a second release
   * while one runs ({@code 409 release_running}).
   */
  String start(ReleaseRequest request);
}
