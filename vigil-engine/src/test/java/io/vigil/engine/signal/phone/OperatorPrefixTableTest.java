package io.vigil.engine.signal.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperatorPrefixTableTest {
  static final String SHIPPED = "/reference/phone-operators.csv";

  static OperatorPrefixTable shipped() throws IOException, ReferenceDataException {
    try (InputStream in = OperatorPrefixTableTest.class.getResourceAsStream(SHIPPED)) {
      assertThat(in).as(SHIPPED).isNotNull();
      return OperatorPrefixTable.load(new InputStreamReader(in, StandardCharsets.UTF_8), "phone-operators.csv");
    }
  }

  static OperatorPrefixTable load(String text) throws ReferenceDataException {
    return OperatorPrefixTable.load(new StringReader(text), "ops.csv");
  }

  static ReferenceDataException rejected(String text) {
    ReferenceDataException e = catchThrowableOfType(() -> load(text), ReferenceDataException.class);
    assertThat(e).as("rejected: %s", text).isNotNull();
    assertThat(e.component()).isEqualTo("phone_operators");
    return e;
  }

  @Test
  void shippedTableNamesEveryBangladeshiOperator() throws Exception {
    OperatorPrefixTable table = shipped();
    assertThat(table.size()).isEqualTo(7);
    assertThat(table.version()).matches("sha256:[0-9a-f]{16}");
    assertThat(table.operatorFor(880, "1712345678")).isEqualTo("Grameenphone");
    assertThat(table.operatorFor(880, "1312345678")).isEqualTo("Grameenphone");
    assertThat(table.operatorFor(880, "1812345678")).isEqualTo("Robi");
    assertThat(table.operatorFor(880, "1912345678")).isEqualTo("Banglalink");
    assertThat(table.operatorFor(880, "1412345678")).isEqualTo("Banglalink");
    assertThat(table.operatorFor(880, "1512345678")).isEqualTo("Teletalk");
    assertThat(table.operatorFor(880, "1612345678")).isEqualTo("Airtel");
    // Not a mobile prefix, another country, and an out-of-range calling code.
    assertThat(table.operatorFor(880, "2912345678")).isEmpty();
    assertThat(table.operatorFor(1, "1712345678")).isEmpty();
    assertThat(table.operatorFor(0, "1712345678")).isEmpty();
    assertThat(table.operatorFor(1_000, "1712345678")).isEmpty();
    assertThat(table.operatorFor(880, "")).isEmpty();
  }

  @Test
  void longestPrefixWins() throws Exception {
    OperatorPrefixTable table = load("""
        calling_code,prefix,operator
        44,7,UK Mobile
        44,74,Operator Seventy-Four
        44,7400,Operator 7400
        1,415,Bay Area Telco
        """);
    assertThat(table.operatorFor(44, "7400123456")).isEqualTo("Operator 7400");
    assertThat(table.operatorFor(44, "7401123456")).isEqualTo("Operator Seventy-Four");
    assertThat(table.operatorFor(44, "7912345678")).isEqualTo("UK Mobile");
    assertThat(table.operatorFor(44, "2071838750")).isEmpty();
    assertThat(table.operatorFor(1, "4155552671")).isEqualTo("Bay Area Telco");
    // A prefix longer than the number cannot match; a shorter one still can.
    assertThat(table.operatorFor(44, "740")).isEqualTo("Operator Seventy-Four");
  }

  @Test
  void commentsBlankLinesCrlfAndByteOrderMarkAreAccepted() throws Exception {
    OperatorPrefixTable table = load("\uFEFF# comment\r\n\r\ncalling_code,prefix,operator\r\n  # indented comment\r\n880, 17 ,Grameenphone\r\n");
    assertThat(table.operatorFor(880, "1712345678")).isEqualTo("Grameenphone");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void emptyTableAnswersNothing() throws Exception {
    assertThat(OperatorPrefixTable.empty().operatorFor(880, "1712345678")).isEmpty();
    assertThat(load("calling_code,prefix,operator\n").size()).isZero();
  }

  @Test
  void versionFollowsContent() throws Exception {
    String a = "calling_code,prefix,operator\n880,17,Grameenphone\n";
    String b = "calling_code,prefix,operator\n880,17,GP\n";
    assertThat(load(a).version()).isEqualTo(load(a).version());
    assertThat(load(a).version()).isNotEqualTo(load(b).version());
    assertThat(shipped().version()).isEqualTo(shipped().version());
  }

  @Test
  void missingOrWrongHeaderIsRejected() {
    assertThat(rejected("")).hasMessageContaining("ops.csv").hasMessageContaining("empty");
    assertThat(rejected("# only a comment\n")).hasMessageContaining("ops.csv").hasMessageContaining("header");
    assertThat(rejected("# comment\n880,17,Grameenphone\n")).hasMessage(
        "ops.csv line 2: expected the header line 'calling_code,prefix,operator'");
  }

  @Test
  void badLinesAreRejectedWithTheirLineNumbers() {
    String head = "# operators\ncalling_code,prefix,operator\n880,17,Grameenphone\n";
    assertThat(rejected(head + "880,18\n")).hasMessage("ops.csv line 4: expected 3 fields (calling_code,prefix,operator), found 2");
    assertThat(rejected(head + "880,18,Robi,extra\n")).hasMessageStartingWith("ops.csv line 4: expected 3 fields");
    assertThat(rejected(head + "\n# gap\n+880,18,Robi\n")).hasMessageStartingWith("ops.csv line 6: calling_code must be 1 to 3 digits");
    assertThat(rejected(head + "8800,18,Robi\n")).hasMessageStartingWith("ops.csv line 4: calling_code");
    assertThat(rejected(head + "088,18,Robi\n")).hasMessageStartingWith("ops.csv line 4: calling_code");
    assertThat(rejected(head + ",18,Robi\n")).hasMessageStartingWith("ops.csv line 4: calling_code");
    assertThat(rejected(head + "880,018x,Robi\n")).hasMessage("ops.csv line 4: prefix must be 1 to 12 digits, found '018x'");
    assertThat(rejected(head + "880,,Robi\n")).hasMessageStartingWith("ops.csv line 4: prefix must be");
    assertThat(rejected(head + "880,1234567890123,Robi\n")).hasMessageStartingWith("ops.csv line 4: prefix must be");
    assertThat(rejected(head + "880,18,\n")).hasMessage("ops.csv line 4: operator is empty");
    assertThat(rejected(head + "880,18," + "R".repeat(65) + "\n")).hasMessage("ops.csv line 4: operator is longer than 64 characters");
    assertThat(rejected(head + "880,18,Ro\u0007bi\n")).hasMessage("ops.csv line 4: operator contains a control character");
  }

  @Test
  void repeatedPrefixNamesBothLines() {
    ReferenceDataException e = rejected("calling_code,prefix,operator\n880,17,Grameenphone\n880,18,Robi\n880,17,Other\n");
    assertThat(e).hasMessage("ops.csv line 4: calling code 880 prefix 17 already appears on line 2");
  }

  @Test
  void overlongLineIsRejectedBeforeItIsBuffered() {
    String line = "880,17," + "x".repeat(10_000);
    assertThat(rejected("calling_code,prefix,operator\n" + line + "\n"))
        .hasMessageStartingWith("ops.csv line 2: line is longer than");
  }

  @Test
  void readFailureIsAReferenceDataException() {
    Reader broken = new Reader() {
      @Override
      public int read(char[] buffer, int offset, int length) throws IOException {
        throw new IOException("disk gone");
      }

      @Override
      public void close() {}
    };
    ReferenceDataException e = catchThrowableOfType(() -> OperatorPrefixTable.load(broken, "ops.csv"), ReferenceDataException.class);
    assertThat(e).hasMessageContaining("ops.csv").hasMessageContaining("disk gone").hasCauseInstanceOf(IOException.class);
  }
}
