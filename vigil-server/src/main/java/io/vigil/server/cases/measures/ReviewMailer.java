package io.vigil.server.cases.measures;

/**
 * Sends the daily interception review. Bound to the server's e-mail sender (to the compliance
 * addresses) where notifications are configured; throws when the mail could not be handed over,
 * so that the day is tried again.
 */
public interface ReviewMailer {
  void send(String subject, String body);
}
