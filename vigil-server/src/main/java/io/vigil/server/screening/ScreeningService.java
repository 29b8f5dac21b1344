package io.vigil.server.screening;

import io.vigil.engine.event.Event;
import io.vigil.engine.screening.Screener;
import io.vigil.engine.screening.ScreeningEntry;
import io.vigil.engine.screening.ScreeningIndex;
import io.vigil.engine.screening.ScreeningMatch;
import io.vigil.engine.screening.ScreeningOutcome;
import io.vigil.engine.screening.ScreeningQuery;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The live lists, screening of event parties (on the decision path: in memory only), hits queued
 * for the writer, false-positive suppressions, country exemptions, and re-screening of known
 * subjects when a list changes (in bounded batches, off the decision path).
 */
public final class ScreeningService implements Screener {
  /** Hits waiting for the writer; when full, further hits of decisions are counted and dropped (the decision still saw them). */
  static final int HIT_QUEUE_MAX = 10_000;
  static final int LISTS_MAX = 32;
  private static final Pattern LIST_NAME = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,63}");
  private final ScreeningRepository repository;
  private final DataSource ds;
  private final ScreeningProperties properties;
  private final Clock clock;
  private final Set<String> blockedCountries;
  private final Map<String, ScreeningIndex> live = new ConcurrentHashMap<>();
  private final Map<String, String> suppressed = new ConcurrentHashMap<>();
  private final Set<String> exempt = ConcurrentHashMap.newKeySet();
  private final ArrayBlockingQueue<ScreeningRepository.Hit> pendingHits = new ArrayBlockingQueue<>(HIT_QUEUE_MAX);
  private final ArrayBlockingQueue<ScreeningRepository.Subject> pendingSubjects = new ArrayBlockingQueue<>(HIT_QUEUE_MAX);
  private final Map<String, String> rescreenCursor = new ConcurrentHashMap<>();
  private final AtomicLong droppedHits = new AtomicLong();

  public ScreeningService(ScreeningRepository repository, DataSource ds, ScreeningProperties properties, Clock clock) {
    this.repository = repository;
    this.ds = ds;
    this.properties = properties;
    this.clock = clock;
    this.blockedCountries = Set.copyOf(properties.blockedCountries());
    reloadFromStore();
  }

  /** Rebuilds the live lists, suppressions and exemptions from the database (start-up). */
  void reloadFromStore() {
    for (ScreeningRepository.ListVersion v : repository.latestVersions()) {
      byte[] content = repository.content(v.listName(), v.version()).orElseThrow();
      try {
        List<ScreeningEntry> entries = ListParser.parse(ListFormat.fromWire(v.format()), content);
        live.put(v.listName(), new ScreeningIndex(v.listName(), v.version(), v.threshold(), entries));
      } catch (ListFileException e) {
        throw new IllegalStateException("stored screening list " + v.listName() + " v" + v.version() + " cannot be read: " + e.getMessage());
      }
    }
    for (String[] s : repository.suppressions()) suppressed.put(key(s[0], s[1], s[2]), s[3]);
    for (ScreeningRepository.Exemption e : repository.exemptions(100_000)) {
      if (e.status().equals("approved")) exempt.add(exemptKey(e.entityKind(), e.entityId(), e.country()));
    }
  }

  // ---- lists ----

  /**
   * Parses and installs a list file as the list's next version. A file in a wrong format changes
   * nothing (the previous version stays live) and throws invalid_list_file with the line or element.
   */
  public ScreeningRepository.ListVersion install(String listName, ListFormat format, Double threshold, byte[] content, String by) {
    if (listName == null || !LIST_NAME.matcher(listName).matches()) {
      throw ApiException.invalid("invalid_parameter", "a list name is 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit", "name");
    }
    if (!live.containsKey(listName) && live.size() >= LISTS_MAX) {
      throw ApiException.invalid("too_many_items", "at most " + LISTS_MAX + " screening lists", "name");
    }
    double t = threshold != null ? threshold : properties.thresholds().getOrDefault(listName, properties.threshold());
    if (!(t >= 0.5 && t <= 1.0)) throw ApiException.invalid("invalid_parameter", "threshold must be between 0.5 and 1.0", "threshold");
    List<ScreeningEntry> entries;
    try {
      entries = ListParser.parse(format, content);
    } catch (ListFileException e) {
      throw ApiException.unprocessable("invalid_list_file", "The file is not a valid " + format.wireName() + " list: "
          + e.getMessage() + ". The previous version stays live.", "file");
    }
    long now = clock.millis();
    ScreeningRepository.ListVersion v = Sql.transaction(ds, c -> {
      long next = repository.latestVersion(c, listName) + 1;
      ScreeningRepository.ListVersion version = new ScreeningRepository.ListVersion(listName, next, format.wireName(),
          entries.size(), t, now, by, sha256(content));
      repository.insertVersion(c, version, content);
      return version;
    }, "installing a screening list failed");
    live.put(listName, new ScreeningIndex(listName, v.version(), t, entries));
    rescreenCursor.put(listName, "");
    return v;
  }

  /** Installs the file unless the live version of the list has the same content (start-up from the lists directory). */
  public void installIfChanged(String listName, ListFormat format, byte[] content, String by) {
    String sha = sha256(content);
    for (ScreeningRepository.ListVersion v : repository.latestVersions()) {
      if (v.listName().equals(listName) && v.contentSha256().equals(sha)) return;
    }
    install(listName, format, null, content, by);
  }

  public List<ScreeningIndex> lists() {
    return live.values().stream().sorted((a, b) -> a.listName().compareTo(b.listName())).toList();
  }

  public ScreeningIndex list(String name) {
    ScreeningIndex index = live.get(name);
    if (index == null) throw ApiException.notFound("screening_list_not_found", "No screening list has this name", "name");
    return index;
  }

  // ---- screening ----

  /** Ad hoc: every list, at each list's threshold (or minScore when given). */
  public List<ScreeningMatch> check(ScreeningQuery query, Double minScore) {
    List<ScreeningMatch> all = new ArrayList<>();
    for (ScreeningIndex index : lists()) all.addAll(minScore == null ? index.screen(query) : index.screen(query, minScore));
    all.sort((a, b) -> Double.compare(b.score(), a.score()));
    return all.size() > ScreeningIndex.MATCHES_MAX ? all.subList(0, ScreeningIndex.MATCHES_MAX) : all;
  }

  @Override
  public ScreeningOutcome screen(Event event) {
    Event.Parties parties = event.parties();
    String subject = event.accountId() != null ? event.accountId() : event.merchantId();
    List<ScreeningOutcome.PartyMatch> matches = new ArrayList<>();
    if (parties.holder() != null) {
      Event.Identity id = event.identity();
      Event.Party h = parties.holder();
      screenParty("holder", subject, new Event.Party(h.name(), h.country() != null ? h.country() : event.accountCountry(),
          id.dateOfBirth(), id.nationalId()), matches);
      pendingSubjects.offer(new ScreeningRepository.Subject(subject, h.name(), h.country(), id.dateOfBirth(), id.nationalId()));
    }
    String counterpartyId = event.counterpartyId() != null ? event.counterpartyId() : subject + ":counterparty";
    if (parties.counterparty() != null) screenParty("counterparty", counterpartyId, parties.counterparty(), matches);
    if (parties.beneficiary() != null) screenParty("beneficiary", subject + ":beneficiary", parties.beneficiary(), matches);
    ScreeningOutcome.PartyMatch best = null;
    for (ScreeningOutcome.PartyMatch m : matches) {
      if (best == null || m.match().score() > best.match().score()) best = m;
      queueHit(m, "decision", event.eventId());
    }
    String[] blocked = blockedCountry(event);
    return new ScreeningOutcome(best == null ? null : best.match(), best == null ? "" : best.party(), matches, blocked[0], blocked[1]);
  }

  private void screenParty(String party, String subjectId, Event.Party p, List<ScreeningOutcome.PartyMatch> out) {
    ScreeningQuery q = new ScreeningQuery(p.name(), p.dateOfBirth(), p.country(), p.idNumber() == null ? Set.of() : Set.of(p.idNumber()));
    for (ScreeningIndex index : live.values()) {
      for (ScreeningMatch m : index.screen(q)) {
        if (isSuppressed(subjectId, m)) continue;
        out.add(new ScreeningOutcome.PartyMatch(party, subjectId, p.name(), m));
      }
    }
  }

  /** A reviewer's false positive holds while the entry's content is what it was when marked. */
  boolean isSuppressed(String subjectId, ScreeningMatch m) {
    String hash = suppressed.get(key(subjectId, m.listName(), m.entry().entryId()));
    return hash != null && hash.equals(m.entry().contentHash());
  }

  private String[] blockedCountry(Event event) {
    Event.Parties p = event.parties();
    String[][] candidates = {
        {"holder", p.holder() == null ? null : p.holder().country()},
        {"counterparty", p.counterparty() == null ? null : p.counterparty().country()},
        {"beneficiary", p.beneficiary() == null ? null : p.beneficiary().country()}};
    for (String[] c : candidates) {
      if (c[1] == null || !blockedCountries.contains(c[1])) continue;
      if (event.accountId() != null && exempt.contains(exemptKey("account", event.accountId(), c[1]))) continue;
      if (event.merchantId() != null && exempt.contains(exemptKey("merchant", event.merchantId(), c[1]))) continue;
      return c;
    }
    return new String[] {"", ""};
  }

  private void queueHit(ScreeningOutcome.PartyMatch m, String source, String eventId) {
    if (!pendingHits.offer(hitOf(m, source, eventId))) droppedHits.incrementAndGet();
  }

  private ScreeningRepository.Hit hitOf(ScreeningOutcome.PartyMatch pm, String source, String eventId) {
    ScreeningMatch m = pm.match();
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("matched_name", m.matchedName());
    evidence.put("name_score", m.nameScore());
    evidence.put("matched_tokens", m.matchedTokens());
    evidence.put("notes", m.evidence());
    evidence.put("match_type", m.matchType());
    return new ScreeningRepository.Hit(0, pm.subjectId(), pm.party(), pm.screenedName(), m.listName(), m.listVersion(),
        m.entry().entryId(), m.entry().primaryName(), m.entry().contentHash(), m.score(), Json.write(evidence), source, eventId,
        clock.millis(), false);
  }

  // ---- writer and re-screening (off the decision path) ----

  /** Writes queued subjects and hits, then one re-screening batch per changed list. Called by the writer thread. */
  public synchronized void writeBatch() {
    List<ScreeningRepository.Subject> subjects = new ArrayList<>();
    pendingSubjects.drainTo(subjects, properties.rescreenBatchMax());
    long now = clock.millis();
    for (ScreeningRepository.Subject s : subjects) repository.upsertSubject(s, now);
    List<ScreeningRepository.Hit> hits = new ArrayList<>();
    pendingHits.drainTo(hits, properties.rescreenBatchMax());
    repository.insertHits(hits);
    for (Map.Entry<String, String> e : rescreenCursor.entrySet()) rescreenBatch(e.getKey(), e.getValue());
  }

  /** Writes everything queued and finishes every pending re-screening (tests; shutdown). */
  public synchronized void flush() {
    for (int i = 0; i < 1_000_000 && (!pendingHits.isEmpty() || !pendingSubjects.isEmpty() || !rescreenCursor.isEmpty()); i++) {
      writeBatch();
    }
  }

  private void rescreenBatch(String listName, String after) {
    ScreeningIndex index = live.get(listName);
    List<ScreeningRepository.Subject> batch = index == null ? List.of() : repository.subjectsAfter(after, properties.rescreenBatchMax());
    List<ScreeningRepository.Hit> hits = new ArrayList<>();
    for (ScreeningRepository.Subject s : batch) {
      ScreeningQuery q = new ScreeningQuery(s.name(), s.dateOfBirth(), s.country(), s.idNumber() == null ? Set.of() : Set.of(s.idNumber()));
      for (ScreeningMatch m : index.screen(q)) {
        if (isSuppressed(s.subjectId(), m)) continue;
        hits.add(hitOf(new ScreeningOutcome.PartyMatch("holder", s.subjectId(), s.name(), m), "rescreen", null));
      }
    }
    repository.insertHits(hits);
    if (batch.size() < properties.rescreenBatchMax()) {
      rescreenCursor.remove(listName);
    } else {
      rescreenCursor.put(listName, batch.get(batch.size() - 1).subjectId());
    }
  }

  public long droppedHits() {
    return droppedHits.get();
  }

  // ---- false positives and exemptions ----

  public ScreeningRepository.Hit markFalsePositive(long hitId, String by) {
    ScreeningRepository.Hit h = repository.hit(hitId).orElseThrow(() ->
        ApiException.notFound("screening_hit_not_found", "No screening hit has this id", "hit_id"));
    repository.markFalsePositive(h, by, clock.millis());
    suppressed.put(key(h.subjectId(), h.listName(), h.entryId()), h.entryHash());
    return repository.hit(hitId).orElseThrow();
  }

  public ScreeningRepository.Exemption proposeExemption(String kind, String entityId, String country, String reason, String by) {
    long id = repository.proposeExemption(kind, entityId, country, reason, by, clock.millis());
    return repository.exemption(id).orElseThrow();
  }

  /** A second operator approves; the proposer cannot approve their own exemption. */
  public ScreeningRepository.Exemption approveExemption(long id, String by) {
    ScreeningRepository.Exemption e = repository.exemption(id).orElseThrow(() ->
        ApiException.notFound("exemption_not_found", "No exemption has this id", "exemption_id"));
    if (e.proposedBy().equals(by)) {
      throw ApiException.forbidden("self_approval", "An exemption is approved by another operator than the one who proposed it", null);
    }
    if (!repository.approveExemption(id, by, clock.millis())) {
      throw ApiException.conflict("invalid_request_error", "exemption_not_proposed", "The exemption is already approved", null);
    }
    exempt.add(exemptKey(e.entityKind(), e.entityId(), e.country()));
    return repository.exemption(id).orElseThrow();
  }

  public List<ScreeningRepository.ListVersion> versions(String listName, int rows) {
    return repository.versions(listName, rows);
  }

  public List<ScreeningRepository.Hit> hits(String subjectId, Long beforeId, int rows) {
    return repository.hits(subjectId, beforeId, rows);
  }

  public List<ScreeningRepository.Exemption> exemptions(int rows) {
    return repository.exemptions(rows);
  }

  public Set<String> blockedCountries() {
    return blockedCountries;
  }

  private static String key(String subject, String list, String entry) {
    return subject + '\u0001' + list + '\u0001' + entry;
  }

  private static String exemptKey(String kind, String id, String country) {
    return kind + '\u0001' + id + '\u0001' + country;
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is in every JDK", e);
    }
  }
}
