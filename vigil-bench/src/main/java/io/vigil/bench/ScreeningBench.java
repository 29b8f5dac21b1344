package io.vigil.bench;

import com.ibm.icu.text.Transliterator;
import io.vigil.engine.screening.ScreeningEntry;
import io.vigil.engine.screening.ScreeningIndex;
import io.vigil.engine.screening.ScreeningMatch;
import io.vigil.engine.screening.ScreeningQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Screening speed and quality on a synthetic list. In process, one thread.
 *
 * <p><b>List.</b> {@code entries} (default 20,000) fictional people and companies built from
 * syllables, two to four words, a third with an alias, most with a birth year and a country.
 *
 * <p><b>Labelled queries.</b> For 2,000 entries, one variant each of: a typo (one letter swapped,
 * dropped or doubled in one word), words in another order, the middle name missing, the name
 * written in Cyrillic, Arabic or Bengali script (ICU Latin-to-script transliteration, then matched
 * back), and an alias. Negatives: 2,000 names that share the first name and the first letter of the
 * surname with a listed entry but are otherwise new, and 2,000 fresh names. A positive counts as
 * found when its own entry is among the matches at the threshold; a negative counts as a false
 * positive when anything matches.
 *
 * <p>Run: {@code java -cp vigil-bench/target/vigil-bench.jar io.vigil.bench.ScreeningBench [entries]}
 */
public final class ScreeningBench {
  private static final String[] SYLLABLES = {"ka", "ri", "mo", "sa", "lan", "de", "vor", "ti", "na", "bel", "ru", "shi",
      "ta", "gor", "en", "mi", "la", "za", "ho", "pre", "stan", "vi", "ko", "dar", "lu", "be", "ne", "fa", "rim", "jo",
      "sel", "ma", "tor", "ga", "ver", "li", "no", "bra", "kes", "ul"};
  private static final double[] THRESHOLDS = {0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94};
  private static final int QUERIES_PER_KIND = 2_000;

  private ScreeningBench() {}

  record Query(String kind, ScreeningQuery query, String expectedEntry) {}

  public static void main(String[] args) {
    int entriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    SplittableRandom random = new SplittableRandom(42);
    List<ScreeningEntry> entries = new ArrayList<>(entriesCount);
    for (int i = 0; i < entriesCount; i++) entries.add(entry(i, random));
    long builtAt = System.nanoTime();
    ScreeningIndex index = new ScreeningIndex("bench", 1, 0.5, entries);
    System.out.printf(Locale.ROOT, "index of %,d entries built in %d ms%n", entries.size(), (System.nanoTime() - builtAt) / 1_000_000);

    List<Query> queries = labelled(entries, random);
    System.out.printf(Locale.ROOT, "labelled queries: %,d%n", queries.size());
    quality(index, queries);
    speed(index, queries);
  }

  private static String word(SplittableRandom r) {
    int n = 2 + r.nextInt(2);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
    return Character.toUpperCase(b.charAt(0)) + b.substring(1);
  }

  private static ScreeningEntry entry(int i, SplittableRandom r) {
    int words = 2 + r.nextInt(3);
    List<String> tokens = new ArrayList<>();
    for (int w = 0; w < words; w++) tokens.add(word(r));
    List<String> names = new ArrayList<>(List.of(String.join(" ", tokens)));
    if (r.nextInt(3) == 0) names.add(word(r) + " " + tokens.get(tokens.size() - 1));
    List<String> dobs = r.nextInt(4) == 0 ? List.of() : List.of(String.valueOf(1940 + r.nextInt(60)));
    Set<String> countries = r.nextInt(5) == 0 ? Set.of() : Set.of(new String[] {"RU", "IR", "SY", "BD", "AE", "CY"}[r.nextInt(6)]);
    return new ScreeningEntry("E" + i, r.nextInt(5) == 0 ? "entity" : "person", names, dobs, countries, Set.of(), "BENCH");
  }

  private static List<Query> labelled(List<ScreeningEntry> entries, SplittableRandom r) {
    Transliterator toCyrillic = Transliterator.getInstance("Latin-Cyrillic");
    Transliterator toArabic = Transliterator.getInstance("Latin-Arabic");
    Transliterator toBengali = Transliterator.getInstance("Latin-Bengali");
    List<Query> out = new ArrayList<>();
    for (int q = 0; q < QUERIES_PER_KIND; q++) {
      ScreeningEntry e = entries.get(r.nextInt(entries.size()));
      List<String> tokens = new ArrayList<>(List.of(e.primaryName().split(" ")));
      out.add(positive("typo", typo(tokens, r), e));
      List<String> swapped = new ArrayList<>(tokens);
      Collections.reverse(swapped);
      out.add(positive("token_order", String.join(" ", swapped), e));
      if (tokens.size() >= 3) {
        List<String> shorter = new ArrayList<>(tokens);
        shorter.remove(1);
        out.add(positive("missing_middle", String.join(" ", shorter), e));
      }
      String name = e.primaryName().toLowerCase(Locale.ROOT);
      out.add(positive("cyrillic", toCyrillic.transliterate(name), e));
      out.add(positive("arabic", toArabic.transliterate(name), e));
      out.add(positive("bengali", toBengali.transliterate(name), e));
      if (e.names().size() > 1) out.add(positive("alias", e.names().get(1), e));
      String surname = tokens.get(tokens.size() - 1);
      String lookalike = tokens.get(0) + " " + surname.charAt(0) + word(r).toLowerCase(Locale.ROOT);
      out.add(new Query("negative_lookalike", ScreeningQuery.name(lookalike), null));
      out.add(new Query("negative_fresh", ScreeningQuery.name(word(r) + " " + word(r)), null));
    }
    return out;
  }

  private static Query positive(String kind, String name, ScreeningEntry e) {
    return new Query(kind, ScreeningQuery.name(name), e.entryId());
  }

  private static String typo(List<String> tokens, SplittableRandom r) {
    List<String> t = new ArrayList<>(tokens);
    int w = r.nextInt(t.size());
    StringBuilder b = new StringBuilder(t.get(w));
    int at = 1 + r.nextInt(Math.max(1, b.length() - 1));
    switch (r.nextInt(3)) {
      case 0 -> b.setCharAt(Math.min(at, b.length() - 1), (char) ('a' + r.nextInt(26)));
      case 1 -> b.deleteCharAt(Math.min(at, b.length() - 1));
      default -> b.insert(at, b.charAt(at - 1));
    }
    t.set(w, b.toString());
    return String.join(" ", t);
  }

  private static void quality(ScreeningIndex index, List<Query> queries) {
    List<List<ScreeningMatch>> results = new ArrayList<>(queries.size());
    for (Query q : queries) results.add(index.screen(q.query(), 0.5));
    System.out.println("threshold  precision  recall  f1     tp     fn    fp");
    for (double t : THRESHOLDS) {
      int tp = 0;
      int fn = 0;
      int fp = 0;
      for (int i = 0; i < queries.size(); i++) {
        Query q = queries.get(i);
        boolean any = results.get(i).stream().anyMatch(m -> m.score() >= t);
        boolean own = q.expectedEntry() != null
            && results.get(i).stream().anyMatch(m -> m.score() >= t && m.entry().entryId().equals(q.expectedEntry()));
        if (q.expectedEntry() == null) {
          if (any) fp++;
        } else if (own) {
          tp++;
        } else {
          fn++;
        }
      }
      double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
      double recall = (double) tp / (tp + fn);
      System.out.printf(Locale.ROOT, "%.2f       %.3f      %.3f   %.3f  %5d  %4d  %4d%n", t, precision, recall,
          2 * precision * recall / (precision + recall), tp, fn, fp);
    }
    System.out.println("recall by variant at 0.88:");
    for (String kind : List.of("typo", "token_order", "missing_middle", "cyrillic", "arabic", "bengali", "alias")) {
      int found = 0;
      int all = 0;
      for (int i = 0; i < queries.size(); i++) {
        Query q = queries.get(i);
        if (!q.kind().equals(kind)) continue;
        all++;
        if (results.get(i).stream().anyMatch(m -> m.score() >= 0.88 && m.entry().entryId().equals(q.expectedEntry()))) found++;
      }
      System.out.printf(Locale.ROOT, "  %-15s %.3f (%d of %d)%n", kind, (double) found / all, found, all);
    }
  }

  private static void speed(ScreeningIndex index, List<Query> queries) {
    for (int warm = 0; warm < 3; warm++) {
      for (Query q : queries) index.screen(q.query());
    }
    Histogram latency = new Histogram(60_000_000_000L, 3);
    long started = System.nanoTime();
    int screened = 0;
    for (int round = 0; round < 3; round++) {
      for (Query q : queries) {
        long t0 = System.nanoTime();
        index.screen(q.query());
        latency.recordValue(System.nanoTime() - t0);
        screened++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "speed: %,d names in %.2f s = %,.0f names/s on one thread; per name p50 %.1f µs, p99 %.1f µs, max %.1f µs%n",
        screened, seconds, screened / seconds, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
        latency.getMaxValue() / 1e3);
  }
}
