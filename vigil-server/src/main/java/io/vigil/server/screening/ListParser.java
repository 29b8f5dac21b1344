package io.vigil.server.screening;

import io.vigil.engine.screening.ScreeningEntry;
import io.vigil.engine.screening.ScreeningIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a list file of a declared format into entries. Any record the format does not allow stops
 * the whole file with a {@link ListFileException} naming the line or element: a list is installed
 * whole or not at all.
 */
public final class ListParser {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FTM_TARGET_SCHEMAS = Set.of("Person", "Organization", "Company", "LegalEntity",
      "Vessel", "Airplane", "PublicBody");
  private static final List<String> FTM_ID_PROPERTIES = List.of("passportNumber", "idNumber", "imoNumber",
      "registrationNumber", "taxNumber", "innCode", "ogrnCode", "swiftBic");
  private static final List<String> OS_CSV_HEADER = List.of("id", "schema", "name", "aliases", "birth_date", "countries");
  private static final Pattern OFAC_CSV_DOB = Pattern.compile("DOB ([^;.]+)");
  private static final Pattern OFAC_CSV_ID = Pattern.compile("(?:Passport|National ID No\\.|IMO) ([A-Za-z0-9\\-]+)");

  private ListParser() {}

  public static List<ScreeningEntry> parse(ListFormat format, byte[] content) throws ListFileException {
    if (content.length == 0) throw new ListFileException("line 1: the file is empty");
    List<ScreeningEntry> out = new ArrayList<>();
    switch (format) {
      case OFAC_SDN_XML -> XmlRecords.read(new ByteArrayInputStream(content), "sdnList", Set.of("sdnEntry"),
          n -> add(out, ofacXml(n)));
      case UN_CONSOLIDATED_XML -> XmlRecords.read(new ByteArrayInputStream(content), "CONSOLIDATED_LIST",
          Set.of("INDIVIDUAL", "ENTITY"), n -> add(out, unXml(n)));
      case OPENSANCTIONS_FTM_JSON -> ftmJson(content, out);
      case OPENSANCTIONS_TARGETS_CSV -> targetsCsv(content, out);
      case OFAC_SDN_CSV -> ofacCsv(content, out);
    }
    if (out.isEmpty()) throw new ListFileException("line 1: the file holds no " + format.wireName() + " entries");
    return out;
  }

  private static void add(List<ScreeningEntry> out, ScreeningEntry entry) throws ListFileException {
    if (out.size() >= ScreeningIndex.ENTRIES_MAX) throw new ListFileException("more than " + ScreeningIndex.ENTRIES_MAX + " entries");
    out.add(entry);
  }

  // ---- OFAC sdn.xml ---------------------------------------------------------------------------

  private static ScreeningEntry ofacXml(XmlRecords.Node n) throws ListFileException {
    String uid = n.text("uid");
    String last = n.text("lastName");
    if (uid == null || uid.isEmpty() || last == null || last.isEmpty()) {
      throw new ListFileException("line " + n.line() + ": <sdnEntry> needs <uid> and <lastName>");
    }
    List<String> names = new ArrayList<>();
    names.add(join(n.text("firstName"), last));
    for (XmlRecords.Node aka : n.descendants("aka")) {
      String akaLast = aka.text("lastName");
      if (akaLast != null && !akaLast.isEmpty()) names.add(join(aka.text("firstName"), akaLast));
    }
    List<String> dobs = new ArrayList<>();
    for (XmlRecords.Node d : n.descendants("dateOfBirth")) addIfPresent(dobs, BirthDates.parse(d.text().toString()));
    Set<String> countries = new LinkedHashSet<>();
    for (XmlRecords.Node c : n.descendants("country")) addIfPresent(countries, Countries.code(c.text().toString()));
    Set<String> ids = new LinkedHashSet<>();
    for (XmlRecords.Node id : n.descendants("idNumber")) addIfPresent(ids, ScreeningEntry.normalizeIdentifier(id.text().toString()));
    List<String> programs = new ArrayList<>();
    for (XmlRecords.Node p : n.descendants("program")) programs.add(p.text().toString().strip());
    String type = n.text("sdnType");
    return new ScreeningEntry(uid, kind(type), names, dobs, countries, ids, String.join(",", programs));
  }

  // ---- UN consolidated list -------------------------------------------------------------------

  private static ScreeningEntry unXml(XmlRecords.Node n) throws ListFileException {
    String id = n.text("REFERENCE_NUMBER");
    if (id == null || id.isEmpty()) id = n.text("DATAID");
    String first = n.text("FIRST_NAME");
    if (id == null || id.isEmpty() || first == null || first.isEmpty()) {
      throw new ListFileException("line " + n.line() + ": <" + n.name() + "> needs <DATAID> and <FIRST_NAME>");
    }
    List<String> names = new ArrayList<>();
    names.add(String.join(" ", nonEmpty(first, n.text("SECOND_NAME"), n.text("THIRD_NAME"), n.text("FOURTH_NAME"))));
    addIfPresent(names, n.text("NAME_ORIGINAL_SCRIPT"));
    for (XmlRecords.Node alias : n.descendants("ALIAS_NAME")) addIfPresent(names, alias.text().toString().strip());
    List<String> dobs = new ArrayList<>();
    for (XmlRecords.Node d : n.all("INDIVIDUAL_DATE_OF_BIRTH")) {
      String date = d.text("DATE");
      addIfPresent(dobs, BirthDates.parse(date != null ? date : d.text("YEAR")));
    }
    Set<String> countries = new LinkedHashSet<>();
    for (XmlRecords.Node v : n.descendants("VALUE")) addIfPresent(countries, Countries.code(v.text().toString()));
    for (XmlRecords.Node c : n.descendants("COUNTRY")) addIfPresent(countries, Countries.code(c.text().toString()));
    Set<String> ids = new LinkedHashSet<>();
    for (XmlRecords.Node d : n.descendants("NUMBER")) addIfPresent(ids, ScreeningEntry.normalizeIdentifier(d.text().toString()));
    String kind = n.name().equals("INDIVIDUAL") ? "person" : "entity";
    return new ScreeningEntry(id, kind, names, dobs, countries, ids, orEmpty(n.text("UN_LIST_TYPE")));
  }

  // ---- OpenSanctions ----------------------------------------------------------------------------

  private static void ftmJson(byte[] content, List<ScreeningEntry> out) throws ListFileException {
    String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JacksonException e) {
        throw new ListFileException("line " + (i + 1) + ": not a JSON object: " + e.getOriginalMessage());
      }
      if (!node.isObject() || !node.path("id").isString() || !node.path("schema").isString() || !node.path("properties").isObject()) {
        throw new ListFileException("line " + (i + 1) + ": a FollowTheMoney entity needs id, schema and properties");
      }
      String schema = node.path("schema").asString();
      if (!FTM_TARGET_SCHEMAS.contains(schema) || node.path("target").isBoolean() && !node.path("target").asBoolean()) continue;
      JsonNode p = node.path("properties");
      List<String> names = strings(p, "name");
      if (names.isEmpty()) throw new ListFileException("line " + (i + 1) + ": entity " + node.path("id").asString() + " has no name");
      names.addAll(strings(p, "alias"));
      List<String> dobs = new ArrayList<>();
      for (String d : strings(p, "birthDate")) addIfPresent(dobs, BirthDates.parse(d));
      Set<String> countries = new LinkedHashSet<>();
      for (String prop : List.of("nationality", "country", "citizenship", "jurisdiction", "flag")) {
        for (String c : strings(p, prop)) addIfPresent(countries, Countries.code(c));
      }
      Set<String> ids = new LinkedHashSet<>();
      for (String prop : FTM_ID_PROPERTIES) {
        for (String v : strings(p, prop)) addIfPresent(ids, ScreeningEntry.normalizeIdentifier(v));
      }
      add(out, new ScreeningEntry(node.path("id").asString(), kind(schema), names, dobs, countries, ids,
          String.join(",", strings(p, "topics"))));
    }
  }

  private static void targetsCsv(byte[] content, List<ScreeningEntry> out) throws ListFileException {
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8);
         var parser = format.parse(reader)) {
      if (!parser.getHeaderNames().containsAll(OS_CSV_HEADER)) {
        throw new ListFileException("line 1: the header must name " + String.join(",", OS_CSV_HEADER) + " (and identifiers)");
      }
      for (CSVRecord r : parser) {
        long line = r.getRecordNumber() + 1;
        if (!r.isConsistent() || r.get("id").isBlank() || r.get("name").isBlank()) {
          throw new ListFileException("line " + line + ": a row needs every column and an id and a name");
        }
        List<String> names = new ArrayList<>(List.of(r.get("name")));
        names.addAll(split(r.get("aliases")));
        List<String> dobs = new ArrayList<>();
        for (String d : split(r.get("birth_date"))) addIfPresent(dobs, BirthDates.parse(d));
        Set<String> countries = new LinkedHashSet<>();
        for (String c : split(r.get("countries"))) addIfPresent(countries, Countries.code(c));
        Set<String> ids = new LinkedHashSet<>();
        if (r.isMapped("identifiers")) {
          for (String v : split(r.get("identifiers"))) addIfPresent(ids, ScreeningEntry.normalizeIdentifier(v));
        }
        add(out, new ScreeningEntry(r.get("id"), kind(r.get("schema")), names, dobs, countries, ids,
            r.isMapped("sanctions") ? truncate(r.get("sanctions")) : ""));
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new ListFileException("not a CSV file: " + e.getMessage());
    }
  }

  private static void ofacCsv(byte[] content, List<ScreeningEntry> out) throws ListFileException {
    try (var parser = CSVFormat.RFC4180.parse(new StringReader(new String(content, StandardCharsets.UTF_8)))) {
      for (CSVRecord r : parser) {
        long line = r.getRecordNumber();
        if (r.size() == 1 && r.get(0).strip().isEmpty() || r.size() == 1 && r.get(0).strip().equals("\u001a")) continue;
        if (r.size() != 12 || !r.get(0).strip().matches("\\d+")) {
          throw new ListFileException("line " + line + ": an sdn.csv row has 12 columns starting with the numeric ent_num");
        }
        String name = r.get(1).strip();
        String[] lastFirst = name.split(",", 2);
        String display = lastFirst.length == 2 ? lastFirst[1].strip() + " " + lastFirst[0].strip() : name;
        String remarks = ofacEmpty(r.get(11));
        List<String> dobs = new ArrayList<>();
        Matcher dob = OFAC_CSV_DOB.matcher(remarks);
        while (dob.find()) addIfPresent(dobs, BirthDates.parse(dob.group(1)));
        Set<String> ids = new LinkedHashSet<>();
        Matcher id = OFAC_CSV_ID.matcher(remarks);
        while (id.find()) addIfPresent(ids, ScreeningEntry.normalizeIdentifier(id.group(1)));
        add(out, new ScreeningEntry(r.get(0).strip(), kind(ofacEmpty(r.get(2))), List.of(display), dobs, Set.of(), ids,
            ofacEmpty(r.get(3))));
      }
    } catch (IOException | IllegalStateException e) {
      throw new ListFileException("not a CSV file: " + e.getMessage());
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static String kind(String type) {
    if (type == null) return "unknown";
    return switch (type.strip().toLowerCase(Locale.ROOT)) {
      case "individual", "person" -> "person";
      case "vessel" -> "vessel";
      case "aircraft", "airplane" -> "aircraft";
      case "", "-0-" -> "entity";
      default -> "entity";
    };
  }

  private static String ofacEmpty(String s) {
    String t = s == null ? "" : s.strip();
    return t.equals("-0-") ? "" : t;
  }

  private static List<String> strings(JsonNode properties, String name) {
    List<String> out = new ArrayList<>();
    JsonNode values = properties.path(name);
    if (!values.isArray()) return out;
    for (JsonNode v : values) {
      if (v.isString() && !v.asString().isBlank() && out.size() < ScreeningEntry.NAMES_MAX) out.add(truncate(v.asString()));
    }
    return out;
  }

  private static List<String> split(String cell) {
    List<String> out = new ArrayList<>();
    for (String s : cell.split(";")) {
      if (!s.isBlank() && out.size() < ScreeningEntry.NAMES_MAX) out.add(truncate(s.strip()));
    }
    return out;
  }

  private static String truncate(String s) {
    return s.length() > ScreeningEntry.NAME_CHARS_MAX ? s.substring(0, ScreeningEntry.NAME_CHARS_MAX) : s;
  }

  private static String join(String first, String last) {
    return first == null || first.isEmpty() ? last : first + " " + last;
  }

  private static List<String> nonEmpty(String... parts) {
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      if (p != null && !p.isEmpty()) out.add(p);
    }
    return out;
  }

  private static <T> void addIfPresent(Collection<T> c, T value) {
    if (value != null && !(value instanceof String s && s.isEmpty())) c.add(value);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
