package io.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every error code the server or the engine can put in an API error is in the error table of docs/api.md, and the
 * table names no code that nothing returns. The codes are read from the sources: each call that makes an error (a
 * {@link #SINKS sink}) has its code argument read as a string literal. A code that is not a literal (built from a
 * variable or by concatenation) fails the test unless that exact call is listed in {@link #FORWARDED}, where each
 * entry passes on a code that a sink already produced.
 */
class ErrorCodesDocumentedTest {
  private static final Path SERVER_SOURCES = Path.of("src/main/java");
  private static final Path ENGINE_SOURCES = Path.of("../vigil-engine/src/main/java");
  private static final Path API_DOC = Path.of("../docs/api.md");
  private static final Pattern CODE_LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");
  /** A package before a type name (io.vigil.server.api.ApiException), dropped so that a sink matches either way. */
  private static final Pattern PACKAGE_QUALIFIER = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])");
  private static final Pattern PARAMETER_DECLARATION = Pattern.compile("(final\\s+)?[\\w.<>\\[\\]]+\\s+\\w+");
  /** Fewer codes than this means the scan no longer finds the sources, not that the API lost its errors. */
  private static final int CODES_MIN = 80;

  /** A call that makes an API error; file is null for any file, else the one file whose local helper it is. */
  private record Sink(String file, String call, int codeArgument) {}

  private static final List<Sink> SINKS = List.of(
      new Sink(null, "ApiException.invalid(", 0),
      new Sink(null, "ApiException.notFound(", 0),
      new Sink(null, "ApiException.unprocessable(", 0),
      new Sink(null, "ApiException.unavailable(", 0),
      new Sink(null, "ApiException.conflict(", 1),
      new Sink(null, "ApiException.unauthenticated(", 0),
      new Sink(null, "ApiException.forbidden(", 0),
      new Sink(null, "new ApiException(", 2),
      // The engine's refusals; ErrorHandler turns each into a 400 with the same code.
      new Sink(null, "new ValidationException(", 0),
      new Sink("ErrorHandler.java", "body(", 1),
      new Sink("PolicyMaps.java", "invalid(", 0));

  /** "File.java: argument" of the sink calls that pass on a code made elsewhere instead of naming one. */
  private static final Set<String> FORWARDED = Set.of(
      // The factories themselves.
      "ApiException.java: code",
      // ErrorHandler.validation: a ValidationException's code, read from the new ValidationException(...) calls.
      "ErrorHandler.java: e.code()",
      // DecisionService.withFallback: an ApiException re-made with the fallback action in its message.
      "DecisionService.java: e.code()",
      // PolicyMaps.invalid(code, …), itself a sink.
      "PolicyMaps.java: code",
      // ListImport.check: an entry's ApiException or ValidationException re-made with the import row in front of its param.
      "ListImport.java: e.code()",
      // RuleDrafts: a draft rule's or pasted event's error re-made with "rule." or "event." in front of its param.
      "RuleDrafts.java: e.code()",
      // VerdictService.plan: a list entry's error re-made with "list_entries[i]." in front of its param.
      "VerdictService.java: refused.code()",
      // PolicyDocuments.at: a policy section's error re-made with the section's place in front of its param.
      "PolicyDocuments.java: e.code()");

  @Test
  void everyCodeTheApiCanReturnIsInTheErrorTableAndNoOther() throws IOException {
    Scan scan = scan();
    assertThat(scan.notLiteral).as("error codes not written as a literal; use a literal, or list the call in "
        + "FORWARDED (it passes on a code) or SINKS (it is a new helper that makes errors)").isEmpty();
    assertThat(scan.forwardedSeen).as("FORWARDED entries that no longer occur").containsExactlyInAnyOrderElementsOf(FORWARDED);
    assertThat(scan.codes.size()).as("codes found in the sources").isGreaterThanOrEqualTo(CODES_MIN);

    Set<String> documented = documentedCodes();
    Set<String> undocumented = new TreeSet<>(scan.codes);
    undocumented.removeAll(documented);
    Set<String> neverReturned = new TreeSet<>(documented);
    neverReturned.removeAll(scan.codes);
    assertThat(undocumented).as("codes the API returns that docs/api.md's error table lacks").isEmpty();
    assertThat(neverReturned).as("codes in docs/api.md's error table that nothing returns").isEmpty();
  }

  @Test
  void theScanReadsMultiLineCallsAndRefusesBuiltCodes() {
    Scan scan = new Scan();
    scan.read("PolicyMaps.java", """
        class Example {
          // ApiException.invalid("commented_out", "…", null)
          void f(String state) {
            throw ApiException.conflict("invalid_request_error",
                "spread_over_lines", "a (nested) message, with a comma", f(g(1, 2)));
            throw ApiException.conflict("invalid_request_error", "hold_" + state, "m", null);
            throw new io.vigil.engine.event.ValidationException("from_the_engine", "param", "m");
            throw invalid("local_helper", "m", null);
            throw other.invalid("not_a_sink", "m", null);
          }
        }
        """);
    assertThat(scan.codes).containsExactlyInAnyOrder("spread_over_lines", "from_the_engine", "local_helper");
    assertThat(scan.notLiteral).containsExactly("PolicyMaps.java: \"hold_\" + state");
  }

  /** The codes in the first column of the tables under "## Error codes" in docs/api.md (also read by ApiContractTest). */
  static Set<String> documentedCodes() throws IOException {
    Set<String> codes = new TreeSet<>();
    boolean inSection = false;
    for (String line : Files.readAllLines(API_DOC)) {
      if (line.startsWith("## ")) inSection = line.equals("## Error codes");
      if (!inSection || !line.startsWith("|")) continue;
      String firstCell = line.substring(1, Math.max(1, line.indexOf('|', 1)));
      Matcher code = Pattern.compile("`([a-z][a-z0-9_]*)`").matcher(firstCell);
      while (code.find()) codes.add(code.group(1));
    }
    assertThat(codes).as("codes in docs/api.md's error table").isNotEmpty();
    return codes;
  }

  private static Scan scan() throws IOException {
    Scan scan = new Scan();
    for (Path root : List.of(SERVER_SOURCES, ENGINE_SOURCES)) {
      assertThat(root).isDirectory();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          scan.read(file.getFileName().toString(), Files.readString(file));
        }
      }
    }
    return scan;
  }

  /** The codes found so far, and the sink calls whose code is not a literal. */
  private static final class Scan {
    final Set<String> codes = new TreeSet<>();
    final List<String> notLiteral = new ArrayList<>();
    final Set<String> forwardedSeen = new TreeSet<>();

    void read(String fileName, String source) {
      String code = PACKAGE_QUALIFIER.matcher(JavaSource.withoutComments(source)).replaceAll("");
      for (Sink sink : SINKS) {
        if (sink.file() != null && !sink.file().equals(fileName)) continue;
        for (int at = code.indexOf(sink.call()); at >= 0; at = code.indexOf(sink.call(), at + 1)) {
          if (at > 0 && isPartOfName(code.charAt(at - 1), sink.call().contains("."))) continue;
          List<String> arguments = JavaSource.arguments(code, at + sink.call().length() - 1);
          if (arguments.size() <= sink.codeArgument()) continue;
          String argument = arguments.get(sink.codeArgument());
          if (PARAMETER_DECLARATION.matcher(argument).matches() && !argument.startsWith("new ")) continue;
          Matcher literal = CODE_LITERAL.matcher(argument);
          String site = fileName + ": " + argument;
          if (literal.matches()) {
            codes.add(literal.group(1));
          } else if (FORWARDED.contains(site)) {
            forwardedSeen.add(site);
          } else {
            notLiteral.add(site);
          }
        }
      }
    }

    /** Whether c before a match makes it part of another name: Foo.invalid( is not PolicyMaps' own invalid(. */
    private static boolean isPartOfName(char c, boolean qualifiedCall) {
      return Character.isJavaIdentifierPart(c) || (c == '.' && !qualifiedCall);
    }
  }

  /** Just enough Java lexing to drop comments and split a call's arguments; strings and text blocks are kept whole. */
  private static final class JavaSource {
    private static final int ARGUMENT_CHARS_MAX = 4_000;

    static String withoutComments(String source) {
      StringBuilder out = new StringBuilder(source.length());
      int i = 0;
      while (i < source.length()) {
        if (source.startsWith("//", i)) {
          int end = source.indexOf('\n', i);
          i = end < 0 ? source.length() : end;
        } else if (source.startsWith("/*", i)) {
          int end = source.indexOf("*/", i + 2);
          i = end < 0 ? source.length() : end + 2;
          out.append(' ');
        } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
          int end = endOfLiteral(source, i);
          out.append(source, i, end);
          i = end;
        } else {
          out.append(source.charAt(i++));
        }
      }
      return out.toString();
    }

    /** The top-level arguments, trimmed, of the call whose '(' is at open. */
    static List<String> arguments(String code, int open) {
      assertThat(code.charAt(open)).isEqualTo('(');
      List<String> arguments = new ArrayList<>();
      int depth = 0;
      int start = open + 1;
      int i = open + 1;
      while (i < code.length() && i - open < ARGUMENT_CHARS_MAX) {
        char c = code.charAt(i);
        if (c == '"' || c == '\'') {
          i = endOfLiteral(code, i);
          continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        if ((c == ',' || c == ')') && depth == 0) {
          arguments.add(code.substring(start, i).trim());
          if (c == ')') return arguments;
          start = i + 1;
        }
        if (c == ')' || c == ']' || c == '}') depth--;
        i++;
      }
      throw new AssertionError("a call without its closing parenthesis at offset " + open);
    }

    /** The index just past the string, text block or char literal that starts at start. */
    private static int endOfLiteral(String code, int start) {
      String quote = code.startsWith("\"\"\"", start) ? "\"\"\"" : String.valueOf(code.charAt(start));
      int i = start + quote.length();
      while (i < code.length()) {
        if (code.charAt(i) == '\\') {
          i += 2;
        } else if (code.startsWith(quote, i)) {
          return i + quote.length();
        } else {
          i++;
        }
      }
      return code.length();
    }
  }
}
