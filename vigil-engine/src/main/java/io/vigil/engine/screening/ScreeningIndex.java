package io.vigil.engine.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded list, indexed for fast screening. Blocking: every token of every listed name is filed
 * under its Double Metaphone key and its consonant skeleton; a query scores only the names that
 * share a key with one of its tokens (at most {@link #CANDIDATES_MAX}, those sharing the most keys
 * first), so a name is screened against 20,000 entries in microseconds, not by scoring all of them.
 * Identifiers are an exact-match map.
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class ScreeningIndex {
  /** Entries per list. The largest public lists hold ~15,000 (OFAC SDN) to ~300,000 (OpenSanctions default). */
  public static final int ENTRIES_MAX = 500_000;
  /** Listed names scored per query at most. */
  public static final int CANDIDATES_MAX = 500;
  /** Matches returned per query and list. */
  public static final int MATCHES_MAX = 10;

  private final String listName;
  private final long version;
  private final double threshold;
  private final List<ScreeningEntry> entries;
  private final TokenName[] names;
  private final int[] nameEntry;
  private final Map<String, int[]> postings;
  private final Map<String, int[]> identifiers;

  public ScreeningIndex(String listName, long version, double threshold, List<ScreeningEntry> entries) {
    if (threshold <= 0.0 || threshold > 1.0) throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
    if (entries.size() > ENTRIES_MAX) throw new IllegalArgumentException("more than " + ENTRIES_MAX + " entries");
    this.listName = listName;
    this.version = version;
    this.threshold = threshold;
    this.entries = List.copyOf(entries);
    List<TokenName> prepared = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    Map<String, List<Integer>> posting = new HashMap<>();
    Map<String, List<Integer>> ids = new HashMap<>();
    for (int e = 0; e < this.entries.size(); e++) {
      ScreeningEntry entry = this.entries.get(e);
      for (String name : entry.names()) {
        TokenName t = TokenName.of(name);
        if (t.isEmpty()) continue;
        int id = prepared.size();
        prepared.add(t);
        owners.add(e);
        for (int k = 0; k < t.size(); k++) {
          for (String key : keys(t, k)) posting.computeIfAbsent(key, x -> new ArrayList<>(2)).add(id);
        }
      }
      for (String identifier : entry.identifiers()) {
        if (!identifier.isEmpty()) ids.computeIfAbsent(identifier, x -> new ArrayList<>(1)).add(e);
      }
    }
    this.names = prepared.toArray(new TokenName[0]);
    this.nameEntry = owners.stream().mapToInt(Integer::intValue).toArray();
    this.postings = freeze(posting);
    this.identifiers = freeze(ids);
  }

  public String listName() {
    return listName;
  }

  public long version() {
    return version;
  }

  public double threshold() {
    return threshold;
  }

  public List<ScreeningEntry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  /** The entries matching the query at or above this list's threshold, best first. */
  public List<ScreeningMatch> screen(ScreeningQuery query) {
    return screen(query, threshold);
  }

  /** The entries matching the query at or above minScore, best first (at most {@link #MATCHES_MAX}). */
  public List<ScreeningMatch> screen(ScreeningQuery query, double minScore) {
    Map<Integer, ScreeningMatch> best = new HashMap<>();
    for (String raw : query.identifiers()) {
      int[] hit = identifiers.get(ScreeningEntry.normalizeIdentifier(raw));
      if (hit == null) continue;
      for (int e : hit) {
        ScreeningEntry entry = entries.get(e);
        best.put(e, new ScreeningMatch(listName, version, entry, entry.primaryName(), 1.0, 1.0, List.of(),
            List.of("identifier " + ScreeningEntry.normalizeIdentifier(raw) + " matches exactly"), "identifier"));
      }
    }
    TokenName q = TokenName.of(query.name());
    if (!q.isEmpty()) scoreCandidates(q, query, minScore, best);
    List<ScreeningMatch> out = new ArrayList<>(best.values());
    out.sort(Comparator.comparingDouble(ScreeningMatch::score).reversed()
        .thenComparing(m -> m.entry().entryId()));
    return out.size() > MATCHES_MAX ? List.copyOf(out.subList(0, MATCHES_MAX)) : List.copyOf(out);
  }

  private void scoreCandidates(TokenName q, ScreeningQuery query, double minScore, Map<Integer, ScreeningMatch> best) {
    for (int nameId : candidates(q)) {
      int e = nameEntry[nameId];
      ScreeningMatch known = best.get(e);
      if (known != null && "identifier".equals(known.matchType())) continue;
      TokenName listed = names[nameId];
      NameScorer.Score s = NameScorer.score(q, listed);
      if (s.value() + Evidence.DOB_EXACT_BONUS + Evidence.COUNTRY_BONUS < minScore) continue;
      List<String> notes = new ArrayList<>(2);
      ScreeningEntry entry = entries.get(e);
      double score = Evidence.adjust(s.value(), query, entry, notes);
      if (score < minScore || (known != null && known.score() >= score)) continue;
      best.put(e, new ScreeningMatch(listName, version, entry, listed.original(), s.value(), score, s.matchedTokens(),
          List.copyOf(notes), "name"));
    }
  }

  /**
   * Listed names sharing a blocking key with the query, by how many of the query's tokens they
   * share one with. When some name shares three or more tokens, names sharing only one are not
   * scored; at most {@link #CANDIDATES_MAX} are, those sharing most first.
   */
  private int[] candidates(TokenName q) {
    int[] hits = new int[names.length];
    int[] touched = new int[Math.min(names.length, 1 << 16)];
    int touchedCount = 0;
    int hitsMax = 0;
    int[] stamp = new int[names.length];
    for (int k = 0; k < q.size(); k++) {
      for (String key : keys(q, k)) {
        int[] posting = postings.get(key);
        if (posting == null) continue;
        for (int id : posting) {
          if (stamp[id] == k + 1) continue; // one count per query token
          stamp[id] = k + 1;
          if (hits[id]++ == 0) {
            if (touchedCount == touched.length) touched = Arrays.copyOf(touched, Math.min(names.length, touched.length * 2));
            touched[touchedCount++] = id;
          }
          hitsMax = Math.max(hitsMax, hits[id]);
        }
      }
    }
    int hitsMin = hitsMax >= 3 ? 2 : 1;
    int kept = 0;
    int[] byHits = new int[touchedCount];
    for (int h = hitsMax; h >= hitsMin && kept < CANDIDATES_MAX; h--) {
      for (int i = 0; i < touchedCount && kept < CANDIDATES_MAX; i++) {
        if (hits[touched[i]] == h) byHits[kept++] = touched[i];
      }
    }
    return Arrays.copyOf(byHits, kept);
  }

  private static List<String> keys(TokenName t, int k) {
    String phonetic = t.phonetic[k];
    String skeleton = t.skeleton[k];
    List<String> keys = new ArrayList<>(2);
    if (!phonetic.isEmpty()) keys.add("p" + phonetic);
    if (skeleton.length() >= 2 && !("p" + phonetic).equals("s" + skeleton)) keys.add("s" + skeleton);
    return keys;
  }

  private static Map<String, int[]> freeze(Map<String, List<Integer>> lists) {
    Map<String, int[]> out = new HashMap<>(lists.size() * 2);
    lists.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).distinct().toArray()));
    return Map.copyOf(out);
  }
}
