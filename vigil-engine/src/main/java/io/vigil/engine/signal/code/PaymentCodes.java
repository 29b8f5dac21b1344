package io.vigil.engine.signal.code;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry of scanned payment codes (S8): the value a customer's app reads from a QR or bar
 * code, mapped to the institution, merchant, account and device behind it, so that rules can
 * judge the entities rather than an opaque string.
 *
 * <p>Loaded from CSV with the header {@code code,institution,merchant_id,account_id,device_id};
 * every column but {@code code} may be empty. Immutable; a reload builds a new instance.
 */
public final class PaymentCodes {
  public static final String COMPONENT = "payment_codes";
  /** Rows in one registry file; a national QR registry of a large wallet is in the millions. */
  public static final int ROWS_MAX = 5_000_000;
  private static final int CODE_CHARS_MAX = 512;
  private static final int FIELD_CHARS_MAX = 128;
  private static final int LINE_CHARS_MAX = CODE_CHARS_MAX + 4 * FIELD_CHARS_MAX + 8;
  private static final String HEADER = "code,institution,merchant_id,account_id,device_id";
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]*");
  private static final Pattern CODE = Pattern.compile("[\\x21-\\x7E]+");

  /** The entities behind one code; absent parts are null. */
  public record Target(String institution, String merchantId, String accountId, String deviceId) {}

  private static final PaymentCodes EMPTY = new PaymentCodes(Map.of(), "empty");
  private final Map<String, Target> byCode;
  private final String version;

  private PaymentCodes(Map<String, Target> byCode, String version) {
    this.byCode = byCode;
    this.version = version;
  }

  public static PaymentCodes empty() {
    return EMPTY;
  }

  public Target lookup(String code) {
    return code == null ? null : byCode.get(code);
  }

  public int size() {
    return byCode.size();
  }

  public String version() {
    return version;
  }

  public static PaymentCodes load(Reader source, String sourceName) throws ReferenceDataException {
    ReferenceLines lines = new ReferenceLines(source, COMPONENT, sourceName, LINE_CHARS_MAX, 2L * ROWS_MAX);
    String header = lines.nextDataLine();
    if (!HEADER.equals(header)) throw lines.fileError("the first line must be the header " + HEADER);
    Map<String, Target> byCode = new HashMap<>();
    for (String line = lines.nextDataLine(); line != null; line = lines.nextDataLine()) {
      if (byCode.size() == ROWS_MAX) throw lines.error("more than " + ROWS_MAX + " codes");
      String[] cells = line.split(",", -1);
      if (cells.length != 5) throw lines.error("expected 5 columns (" + HEADER + "), found " + cells.length);
      String code = cells[0];
      if (code.isEmpty() || code.length() > CODE_CHARS_MAX || !CODE.matcher(code).matches()) {
        throw lines.error("code must be 1 to " + CODE_CHARS_MAX + " printable characters without spaces or commas");
      }
      Target target = new Target(field(cells[1], lines), field(cells[2], lines), field(cells[3], lines), field(cells[4], lines));
      if (byCode.putIfAbsent(code, target) != null) throw lines.error("duplicate code");
    }
    return new PaymentCodes(Map.copyOf(byCode), "sha256:" + lines.version());
  }

  private static String field(String cell, ReferenceLines lines) throws ReferenceDataException {
    if (cell.isEmpty()) return null;
    if (cell.length() > FIELD_CHARS_MAX || !IDENTIFIER.matcher(cell).matches()) {
      throw lines.error("'" + (cell.length() > 32 ? cell.substring(0, 32) + "…" : cell)
          + "' is not an identifier (letters, digits and _.:@+- , at most " + FIELD_CHARS_MAX + ")");
    }
    return cell;
  }
}
