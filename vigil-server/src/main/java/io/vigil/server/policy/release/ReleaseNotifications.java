package io.vigil.server.policy.release;

import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.notify.WebhookEventTypes;
import io.vigil.server.notify.WebhookNotifier;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells approvers and payment systems that a release stopped: a signed {@code release.stopped}
 * webhook for every stop, and an e-mail to the compliance addresses (the approvers of policy
 * changes) when the guard stopped it, since no person asked for that stop.
 */
public final class ReleaseNotifications {
  private static final Logger log = LoggerFactory.getLogger(ReleaseNotifications.class);
  private final EmailNotifier email;
  private final WebhookNotifier webhooks;

  public ReleaseNotifications(EmailNotifier email, WebhookNotifier webhooks) {
    this.email = email;
    this.webhooks = webhooks;
  }

  void stopped(ReleaseRecord r, boolean byGuard) {
    try {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("release_id", r.releaseId());
      data.put("change_request_id", r.changeRequestId());
      data.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
      data.put("percent", r.percent());
      data.put("candidate_policy_version", r.candidateVersion());
      data.put("stopped_by", r.endedBy());
      data.put("reason", r.endReason());
      webhooks.publish(WebhookEventTypes.RELEASE_STOPPED, data);
      if (byGuard) {
        email.send(email.complianceAddresses(), "Vigil release " + r.releaseId() + " stopped by the guard",
            "The release of policy version " + r.candidateVersion() + " was stopped automatically: " + r.endReason()
                + ".\n\nLive traffic is back on the live policy. Open the Vigil console under Releases to compare the two sides.\n",
            "release.stopped");
      }
    } catch (RuntimeException e) {
      log.warn("the stop of release {} could not be told: {}", r.releaseId(), e.toString());
    }
  }
}
