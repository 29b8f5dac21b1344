package io.vigil.server.account;

import io.vigil.engine.event.EventType;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.TimeCursor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Account restrictions (D3) and the holder's one-click lock (P5). A change is stored first, then
 * put in the engine's index, so it is in force for the very next decision once the call returns.
 */
public final class RestrictionService {
  /** Identity checks strong enough to lift a holder's lock: not a code sent to a phone that may be stolen. */
  public static final Set<String> UNLOCK_VERIFICATION_METHODS =
      Set.of("biometric", "id_document", "video_call", "branch_visit", "password_and_otp");
  private final RestrictionRepository repository;
  private final RestrictionIndex index;
  private final Clock clock;

  public RestrictionService(RestrictionRepository repository, RestrictionIndex index, Clock clock) {
    this.repository = repository;
    this.index = index;
    this.clock = clock;
    long now = clock.millis();
    for (Restriction r : repository.inForce(now)) index.put(r, now);
  }

  public Restriction restrict(String accountId, RestrictionKind kind, String reason, long expiresAtMillis, String actor) {
    return add(accountId, kind, Restriction.SOURCE_OPERATOR, reason, expiresAtMillis, actor, 0, null);
  }

  /** Privilege limitation: caps the account's daily money out in one currency. */
  public Restriction lowerLimit(String accountId, long dailyLimitMinor, String currency, String reason, long expiresAtMillis,
      String actor) {
    return add(accountId, RestrictionKind.LOWER_LIMIT, Restriction.SOURCE_OPERATOR, reason, expiresAtMillis, actor,
        dailyLimitMinor, currency);
  }

  /** The holder's lock: a freeze with no expiry. Locking a locked account returns the lock in force. */
  public synchronized Restriction lock(String accountId, String reason, String actor) {
    for (Restriction r : index.active(accountId, clock.millis())) {
      if (Restriction.SOURCE_HOLDER.equals(r.source())) return r;
    }
    return add(accountId, RestrictionKind.FREEZE, Restriction.SOURCE_HOLDER, reason, 0, actor, 0, null);
  }

  /** A freeze Vigil sets itself after repeated failed challenges; lifted like any other. */
  public synchronized Restriction escalate(String accountId, String reason, long expiresAtMillis) {
    for (Restriction r : index.active(accountId, clock.millis())) {
      if (Restriction.SOURCE_CHALLENGES.equals(r.source())) return r; // one such freeze at a time
    }
    return add(accountId, RestrictionKind.FREEZE, Restriction.SOURCE_CHALLENGES, reason, expiresAtMillis, "vigil", 0, null);
  }

  /**
   * The restriction in force that stops an event of this type from the account or to the merchant
   * (either may be null), or null: what a decision now would be denied for.
   */
  public Restriction stopping(String accountId, String merchantId, EventType type) {
    long now = clock.millis();
    Restriction ofAccount = index.stopping(accountId, type, now);
    return ofAccount != null ? ofAccount : index.stoppingMerchant(merchantId, type, now);
  }

  /** Lifts every holder lock of the account after a verified identity step; 409 when none is in force. */
  public synchronized List<Restriction> unlock(String accountId, String verificationMethod, String actor) {
    if (!UNLOCK_VERIFICATION_METHODS.contains(verificationMethod)) {
      throw ApiException.invalid("invalid_verification_method",
          "verification.method must be one of " + String.join(", ", UNLOCK_VERIFICATION_METHODS.stream().sorted().toList()),
          "verification.method");
    }
    long now = clock.millis();
    List<Restriction> locks = index.active(accountId, now).stream()
        .filter(r -> Restriction.SOURCE_HOLDER.equals(r.source())).toList();
    if (locks.isEmpty()) {
      throw ApiException.conflict("invalid_request_error", "not_locked", "The account has no lock in force", "account_id");
    }
    List<Restriction> lifted = new ArrayList<>(locks.size());
    for (Restriction r : locks) {
      repository.lift(r.id(), now, actor, "unlocked by the holder", verificationMethod);
      Restriction liftedLock = r.lifted(now);
      index.put(liftedLock, now);
      lifted.add(liftedLock);
    }
    return lifted;
  }

  /** Lifts one restriction (an operator's decision). */
  public synchronized Restriction lift(String accountId, String restrictionId, String reason, String actor) {
    long now = clock.millis();
    Restriction r = index.active(accountId, now).stream().filter(x -> x.id().equals(restrictionId)).findFirst()
        .orElseThrow(() -> ApiException.notFound("restriction_not_found", "No restriction in force with this id on this account",
            "restriction_id"));
    if (Restriction.SOURCE_HOLDER.equals(r.source())) {
      throw ApiException.conflict("invalid_request_error", "use_unlock",
          "A holder's lock is lifted only through unlock, after a verified identity step", "restriction_id");
    }
    if (!repository.lift(r.id(), now, actor, reason, null)) {
      throw ApiException.notFound("restriction_not_found", "No restriction in force with this id on this account", "restriction_id");
    }
    Restriction lifted = r.lifted(now);
    index.put(lifted, now);
    return lifted;
  }

  public List<Restriction> active(String accountId) {
    return index.active(accountId, clock.millis());
  }

  public List<RestrictionRepository.Row> history(String accountId, TimeCursor after, int rows) {
    return repository.ofAccount(accountId, after, rows);
  }

  private synchronized Restriction add(String accountId, RestrictionKind kind, String source, String reason,
      long expiresAtMillis, String actor, long dailyLimitMinor, String currency) {
    long now = clock.millis();
    if (!index.hasRoomFor(accountId, now)) {
      throw ApiException.invalid("too_many_restrictions", "An account holds at most " + RestrictionIndex.PER_ACCOUNT_MAX
          + " restrictions in force; lift some first", "account_id");
    }
    Restriction r = new Restriction(Ids.random("rst_"), accountId, kind, source, reason,
        actor, now, expiresAtMillis, 0, dailyLimitMinor, currency);
    repository.insert(r);
    index.put(r, now);
    return r;
  }
}
