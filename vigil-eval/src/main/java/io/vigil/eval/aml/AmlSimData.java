package io.vigil.eval.aml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The AMLSim fan-in sample: accounts with their label and pattern start step, and the transfers in
 * file order. A step reads as a day; a value as major units of the operator's currency.
 */
final class AmlSimData {
  static final int ACCOUNTS_MAX = 1_000_000;
  static final int TRANSFERS_MAX = 10_000_000;

  record Account(int id, boolean fraud, int fraudStep) {}

  record Transfer(int source, int target, long amountMinor, int step) {}

  final Map<Integer, Account> accounts = new HashMap<>();
  final List<Transfer> transfers = new ArrayList<>();

  static AmlSimData load(Path dir) throws IOException {
    AmlSimData d = new AmlSimData();
    for (String[] r : rows(dir.resolve("fanin200_nodes.csv.gz"), ACCOUNTS_MAX)) {
      int id = Integer.parseInt(r[0]);
      d.accounts.put(id, new Account(id, "1".equals(r[1]), Integer.parseInt(r[3])));
    }
    for (String[] r : rows(dir.resolve("fanin200_transactions.csv.gz"), TRANSFERS_MAX)) {
      long minor = Math.round(Double.parseDouble(r[2]) * 100);
      d.transfers.add(new Transfer(Integer.parseInt(r[0]), Integer.parseInt(r[1]), minor, Integer.parseInt(r[3])));
    }
    return d;
  }

  private static List<String[]> rows(Path file, int rowsMax) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null) throw new IOException(file + " is empty");
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        if (out.size() == rowsMax) throw new IOException(file + " has more than " + rowsMax + " rows");
        out.add(line.split(",", -1));
      }
    }
    return out;
  }

  /**
   * The fan-in receivers: labelled accounts without a pattern step of their own that receive from
   * labelled accounts whose pattern has started (the labels name members, not patterns, so the
   * patterns are rebuilt this way), each with the earliest start of its senders.
   */
  Map<Integer, Integer> receivers() {
    Map<Integer, Integer> start = new HashMap<>();
    for (Transfer t : transfers) {
      Account s = accounts.get(t.source());
      Account r = accounts.get(t.target());
      if (s == null || r == null || !s.fraud() || s.fraudStep() < 0 || !r.fraud() || r.fraudStep() >= 0 || t.step() < s.fraudStep()) {
        continue;
      }
      start.merge(t.target(), s.fraudStep(), Math::min);
    }
    return start;
  }
}
