package io.vigil.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small synthetic file in the FDH column layout (generated here; the real 1.75 M-row file is not
 * needed) goes through the whole replay: engine, delayed labels, weekly retraining, protocol report.
 */
class FdhSliceSmokeTest {
  static final LocalDateTime START = LocalDateTime.of(2018, 4, 1, 0, 0);
  static final int DAYS = 42;
  static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Rows as (epoch millis) for the read-ahead check. */
  final List<Long> times = new ArrayList<>();

  Path generate(Path dir) throws IOException {
    Random r = new Random(11);
    int customers = 80, terminals = 40;
    int[] compromisedUntilDay = new int[terminals];
    StringBuilder csv = new StringBuilder("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n");
    long id = 0;
    for (int day = 0; day < DAYS; day++) {
      compromisedUntilDay[r.nextInt(terminals)] = day + 10;
      List<long[]> rows = new ArrayList<>();
      for (int c = 0; c < customers; c++) {
        int n = r.nextInt(5);
        for (int k = 0; k < n; k++) rows.add(new long[] {day * 86_400L + r.nextInt(86_400), c, r.nextInt(terminals)});
      }
      rows.sort((a, b) -> Long.compare(a[0], b[0]));
      for (long[] row : rows) {
        double amount = Math.round(Math.exp(r.nextGaussian() * 0.6 + 3.8) * 100) / 100.0;
        int terminal = (int) row[2];
        int scenario = amount > 220 ? 1 : compromisedUntilDay[terminal] > day ? 2 : 0;
        LocalDateTime t = START.plusSeconds(row[0]);
        times.add(t.toInstant(ZoneOffset.UTC).toEpochMilli());
        csv.append(id++).append(',').append(FORMAT.format(t)).append(',').append(row[1]).append(',').append(terminal).append(',')
            .append(amount).append(',').append(row[0]).append(',').append(day).append(',').append(scenario > 0 ? 1 : 0).append(',')
            .append(scenario).append('\n');
      }
    }
    Path file = dir.resolve("fdh-slice.csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  static String[] args(Path input, Path report) {
    return new String[] {"evaluate", "fdh", "--input", input.toString(), "--report", report.toString(), "--train-from", "2018-04-22",
        "--test-from", "2018-05-06", "--test-days", "5", "--selection-folds", "1", "--quiet"};
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSliceReplaysWithDelayedLabelsAndReportsTheProtocol(@TempDir Path dir) throws Exception {
    Path input = generate(dir);
    ReplayOptions options = new ReplayOptions(input, ColumnMapping.fdh(), 7 * ReplayOptions.DAY_MILLIS, 7 * ReplayOptions.DAY_MILLIS,
        millis("2018-05-06"), 14 * ReplayOptions.DAY_MILLIS, 0.5, 1, 0, null,
        new ReplayOptions.Protocol(millis("2018-04-22"), millis("2018-05-06"), 5), null, null, false);
    Replay.Result result = new Replay(options, new PrintStream(new ByteArrayOutputStream())).run();
    Map<String, Object> report = EvalMain.report(result, options, input.toString());
    assertThat(result.rows()).isEqualTo(times.size());
    String json = Json.write(report);
    assertThat(json).contains("\"auc_roc\"", "\"average_precision\"", "\"card_precision_at_100\"", "\"weeks\"", "\"events_per_second\"");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Summary.print(report, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Handbook protocol", "Vigil LightGBM");
    assertThat((Double) report.get("auc_roc")).isGreaterThan(0.6); // amounts over 220 are always fraud: learnable
    assertThat((Double) report.get("card_precision_at_100")).isBetween(0.0, 1.0);

    // No label was read ahead: every model trained at T on L days saw exactly the rows of [T - L, T - 7 d].
    assertThat(result.retrainings()).isNotEmpty();
    for (Replay.Retraining t : result.retrainings()) {
      long lookbackMillis = Long.parseLong(t.params().get("lookback_days")) * ReplayOptions.DAY_MILLIS;
      long from = t.atMillis() - lookbackMillis, knownBy = t.atMillis() - 7 * ReplayOptions.DAY_MILLIS;
      long expected = times.stream().filter(x -> x >= from && x <= knownBy).count();
      assertThat(t.trainRows()).as("rows of the model trained at %s", t.atMillis()).isEqualTo(expected);
    }
  }

  @Test
  void theCommandLineWritesTheReport(@TempDir Path dir) throws Exception {
    Path input = generate(dir);
    Path report = dir.resolve("report.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    String[] a = {"evaluate", "fdh", "--input", input.toString(), "--report", report.toString(), "--train-from", "2018-04-22",
        "--test-from", "2018-05-06", "--test-days", "5", "--selection-folds", "0", "--limit", "4000", "--quiet",
        "--scores-out", dir.resolve("scores.csv.gz").toString()};
    assertThat(EvalMain.run(a, new PrintStream(out, true, StandardCharsets.UTF_8), sink)).isZero();
    try (BufferedReader scores = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(dir.resolve("scores.csv.gz"))), StandardCharsets.UTF_8))) {
      assertThat(scores.readLine()).isEqualTo("time_ms,model,acting_score,next_model_score,rules_score,forced,lr,rf,fraud");
      assertThat(scores.lines().count()).isEqualTo(4000);
    }
    // The handbook's published figures belong to the published file only: a synthetic file gets its own baselines.
    assertThat(Files.readString(report)).contains("\"rows\": 4000").doesNotContain("\"published\"");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("published figures are for the published file only");
    assertThat(EvalMain.run(new String[] {"evaluate", "other"}, sink, sink)).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCandidateRuleSetIsBacktestedNextToTheLivePolicy(@TempDir Path dir) throws Exception {
    Path input = generate(dir);
    // The slice's frauds include every amount over 220; the live policy has no rule for that, the candidate does.
    Path candidate = dir.resolve("candidate.json");
    Files.writeString(candidate, """
        {"rules": [{"id": "amount_over_220", "expression": "event.amount_major > 220.0",
                    "effect": {"action": "REVIEW"}, "reason": "amount {event.amount_major} over 220"}],
         "thresholds": {"default": {"challenge": 90, "review": 95, "deny": 99, "medium": 30, "high": 60, "critical": 80,
                                          "challenge_kind": "sms_otp"}}}
        """);
    Path report = dir.resolve("report.json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] a = {"replay", "--input", input.toString(), "--mapping", dir.resolve("fdh.properties").toString(), "--report",
        report.toString(), "--retrain-every-days", "0", "--candidate-policy", candidate.toString(), "--quiet"};
    Files.writeString(dir.resolve("fdh.properties"), new String(getClass().getResourceAsStream("/io/vigil/eval/fdh.mapping.properties").readAllBytes(),
        StandardCharsets.UTF_8));
    assertThat(EvalMain.run(a, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()))).isZero();
    Map<String, Object> r = tools.jackson.databind.json.JsonMapper.builder().build().readValue(Files.readString(report), Map.class);
    Map<String, Object> overall = (Map<String, Object>) r.get("overall");
    Map<String, Object> backtest = (Map<String, Object>) overall.get("candidate_policy_backtest");
    Map<String, Object> changed = (Map<String, Object>) backtest.get("changed_against_live");
    long over220 = countOver220(input);
    assertThat(over220).isPositive();
    // Every event over 220 is fraud in the slice and now reviewed; the live policy intercepted none of them.
    assertThat(((Number) changed.get("frauds_newly_intercepted")).longValue()).isEqualTo(over220);
    assertThat(((Number) changed.get("legitimate_newly_intercepted")).longValue()).isZero();
    assertThat(((Number) backtest.get("review_rate")).doubleValue()).isGreaterThan(0.0);
    List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) r.get("rule_hits")).get("rules");
    Map<String, Object> rule = rules.stream().filter(m -> m.get("rule").equals("amount_over_220")).findFirst().orElseThrow();
    assertThat(((Map<String, Object>) rule.get("live")).get("fires")).isEqualTo(0);
    assertThat(((Number) ((Map<String, Object>) rule.get("candidate")).get("fires")).longValue()).isEqualTo(over220);
    assertThat(((Number) ((Map<String, Object>) rule.get("candidate")).get("precision")).doubleValue()).isEqualTo(1.0);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Candidate policy backtest", "amount_over_220");

    // Bad candidates are refused before any row is read, naming the field.
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    for (String[] bad : new String[][] {
        {"{\"rules\": [{\"id\": \"x\", \"expression\": \"true\", \"effect\": {\"points\": 5000}, \"reason\": \"r\"}]}", "rules[0].effect.points"},
        {"{\"rules\": [{\"id\": \"x\", \"expression\": \"no_such.name > 1\", \"effect\": {\"points\": 5}, \"reason\": \"r\"}]}", "rule x"},
        {"{\"limits\": []}", "unknown field limits"},
        {"{}", "rules or thresholds"},
        {"{\"thresholds\": {\"default\": {\"challenge\": 1}}}", "thresholds.default.review"},
        {"[1, 2", "not JSON"}}) {
      Files.writeString(candidate, bad[0]);
      assertThatThrownBy(() -> EvalMain.run(a, sink, sink)).as(bad[0]).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad[1]);
    }
  }

  private static long countOver220(Path csv) throws IOException {
    return Files.readAllLines(csv).stream().skip(1).filter(l -> Double.parseDouble(l.split(",")[4]) > 220).count();
  }

  @Test
  void rowsOutOfTimeOrderAndUnknownColumnsAreRefused(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n"
        + "0,2018-04-01 10:00:00,1,1,10.00,0,0,0,0\n1,2018-04-01 09:00:00,1,1,10.00,0,0,0,0\n");
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    assertThatThrownBy(() -> EvalMain.run(args(bad, dir.resolve("r.json")), sink, sink))
        .isInstanceOf(IOException.class).hasMessageContaining("line 3").hasMessageContaining("time order");
    Path mapping = dir.resolve("m.properties");
    Files.writeString(mapping, "event_id=TRANSACTION_ID\noccurred_at=TX_DATETIME\noccurred_at_format=yyyy-MM-dd HH:mm:ss\naccount_id=NO_SUCH\namount=TX_AMOUNT\ncurrency=USD\n");
    assertThatThrownBy(() -> EvalMain.run(new String[] {"replay", "--input", bad.toString(), "--mapping", mapping.toString(), "--quiet"},
        sink, sink)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NO_SUCH");
  }

  @Test
  void theSweepReadsConfigurationsAndRefusesWeeksNotLabelledBeforeTheTest(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sweep.txt");
    Files.writeString(file, "# comment\nsmall; num_leaves=7; rounds=20; lookback=21; drop=ip_count_1h,rules_score\n"
        + "amounts; only=amount_major,amount_zscore_account_30d; seeds=2\n");
    List<Sweep.Config> configs = Sweep.read(file, io.vigil.engine.model.ModelFeatures.SCHEMA);
    assertThat(configs).hasSize(2);
    assertThat(configs.get(0).params()).containsEntry("num_leaves", "7").containsEntry("rounds", "20");
    assertThat(configs.get(0).lookbackDays()).isEqualTo(21);
    assertThat(configs.get(0).features()).doesNotContain("ip_count_1h", "rules_score").contains("amount_major");
    assertThat(configs.get(1).features()).containsExactly("amount_major", "amount_zscore_account_30d");
    assertThat(configs.get(1).seeds()).isEqualTo(2);

    ReplayOptions options = new ReplayOptions(file, ColumnMapping.fdh(), 7 * ReplayOptions.DAY_MILLIS, 0, millis("2018-08-08"),
        14 * ReplayOptions.DAY_MILLIS, 0.5, 0, 0, null, new ReplayOptions.Protocol(millis("2018-07-25"), millis("2018-08-08"), 7), null, null,
        false);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    // The week of 2018-07-26 ends 2018-08-02; its labels arrive until 2018-08-09, after the test start.
    assertThatThrownBy(() -> Sweep.run(null, options, configs, List.of(millis("2018-07-26")), io.vigil.engine.model.ModelFeatures.SCHEMA, sink))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not fully labelled before the test start");
  }

  static long millis(String date) {
    return java.time.LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
