package io.vigil.engine.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceLinesTest {
  @TempDir
  Path dir;

  @Test
  void aHashInsideALineIsDataUnlessTrailingCommentsAreStripped() throws Exception {
    String text = "# header\n411100,411199,visa,debit,BD,Bank #1\n  # indented comment\n192.0.2.1 # office\n";
    assertThat(dataLines(lines(text))).containsExactly("411100,411199,visa,debit,BD,Bank #1", "192.0.2.1 # office");
    assertThat(dataLines(lines(text).stripTrailingComments())).containsExactly("411100,411199,visa,debit,BD,Bank", "192.0.2.1");
    assertThat(dataLines(lines("\uFEFF#only\r\n\t# x\r\n \r\n").stripTrailingComments())).isEmpty();
  }

  @Test
  void strippingCommentsKeepsLineNumbers() throws Exception {
    ReferenceLines lines = lines("a # one\n\n# two\nb#three\n").stripTrailingComments();
    assertThat(lines.nextDataLine()).isEqualTo("a");
    assertThat(lines.nextDataLine()).isEqualTo("b");
    assertThat(lines.lineNumber()).isEqualTo(4);
    assertThat(lines.error("bad").getMessage()).contains("test.txt line 4: bad");
  }

  @Test
  void optionsAreSetBeforeTheFirstLine() throws Exception {
    ReferenceLines lines = lines("a\n");
    lines.nextLine();
    assertThatThrownBy(lines::stripTrailingComments).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lines.digestContentInto(MessageDigest.getInstance("SHA-256"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void crlfLineAtTheLimitIsAcceptedAndOneCharacterMoreIsNot() throws Exception {
    String atLimit = "x".repeat(8);
    assertThat(dataLines(new ReferenceLines(new StringReader(atLimit + "\r\n" + atLimit + "\r"), "c", "s", 8, 10)))
        .containsExactly(atLimit, atLimit);
    assertThatThrownBy(() -> dataLines(new ReferenceLines(new StringReader(atLimit + "y\r\n"), "c", "s", 8, 10)))
        .hasMessageContaining("s line 1: line is longer than 8 characters");
    assertThatThrownBy(() -> dataLines(new ReferenceLines(new StringReader(atLimit + "\ry\n"), "c", "s", 8, 10)))
        .hasMessageContaining("s line 1: line is longer than 8 characters");
  }

  @Test
  void openReadsStrictUtf8AndNamesTheFile() throws Exception {
    Path good = Files.writeString(dir.resolve("good.txt"), "Dhākā\n", StandardCharsets.UTF_8);
    try (ReferenceLines lines = ReferenceLines.open(good, "c", 100, 10)) {
      assertThat(lines.nextDataLine()).isEqualTo("Dhākā");
      assertThat(lines.sourceName()).isEqualTo(good.toString());
    }
    Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'o', 'k', '\n', 'D', 'h', (byte) 0xE2, 'k', '\n'});
    assertThatThrownBy(() -> {
      try (ReferenceLines lines = ReferenceLines.open(latin1, "c", 100, 10)) {
        dataLines(lines);
      }
    }).isInstanceOfSatisfying(ReferenceDataException.class, e -> {
      assertThat(e.component()).isEqualTo("c");
      assertThat(e.getMessage()).contains(latin1.toString()).contains("not UTF-8");
    });
    assertThatThrownBy(() -> ReferenceLines.open(dir.resolve("missing.txt"), "c", 100, 10))
        .hasMessageContaining("missing.txt is missing or not a regular file");
    assertThatThrownBy(() -> ReferenceLines.open(dir, "c", 100, 10)).isInstanceOf(ReferenceDataException.class);
  }

  @Test
  void contentDigestSeesTheFilesBytesAndIsShared() throws Exception {
    byte[] first = "\uFEFF# comment\r\n192.0.2.1 # office\r\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] second = "2001:db8::/32\nlast line without newline".getBytes(StandardCharsets.UTF_8);
    Path a = Files.write(dir.resolve("a.txt"), first);
    Path b = Files.write(dir.resolve("b.txt"), second);
    MessageDigest shared = MessageDigest.getInstance("SHA-256");
    try (ReferenceLines la = ReferenceLines.open(a, "c", 100, 10).digestContentInto(shared);
        ReferenceLines lb = ReferenceLines.open(b, "c", 100, 10).digestContentInto(shared)) {
      dataLines(la);
      dataLines(lb);
    }
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    expected.update(first);
    expected.update(second);
    assertThat(shared.digest()).isEqualTo(expected.digest());
  }

  @Test
  void versionIgnoresLineEndingsAndByteOrderMarkButNotContent() throws Exception {
    String lf = version("a,b\nc # d\n");
    assertThat(version("\uFEFFa,b\r\nc # d\r\n")).isEqualTo(lf);
    assertThat(version("a,b\nc # e\n")).isNotEqualTo(lf);
    assertThat(lf).matches("[0-9a-f]{" + ReferenceLines.VERSION_HEX_CHARS + "}");
  }

  private static ReferenceLines lines(String text) {
    return new ReferenceLines(new StringReader(text), "c", "test.txt", 100, 100);
  }

  private static String version(String text) throws ReferenceDataException {
    ReferenceLines lines = lines(text).stripTrailingComments();
    dataLines(lines);
    return lines.version();
  }

  private static List<String> dataLines(ReferenceLines lines) throws ReferenceDataException {
    List<String> all = new ArrayList<>();
    for (String line = lines.nextDataLine(); line != null; line = lines.nextDataLine()) all.add(line);
    return all;
  }
}
