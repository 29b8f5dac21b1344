package io.vigil.server.reports;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/** A report table as CSV (RFC 4180), XLSX (numbers as numeric cells) or PDF (landscape A4, for the board). */
public final class TableExports {
  /** Rows the PDF holds at most (a board report, not a data dump: the CSV and XLSX hold everything). */
  static final int PDF_ROWS_MAX = 5_000;
  /** Rows the streaming XLSX writer keeps in memory. */
  private static final int XLSX_WINDOW_ROWS = 200;

  private TableExports() {}

  public static byte[] csv(ReportTable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
      p.printRecord(t.columns());
      for (List<String> row : t.rows()) p.printRecord(row.stream().map(TableExports::safeCell).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A cell a spreadsheet would run as a formula is written as text (leading apostrophe). */
  static String safeCell(String v) {
    if (v.isEmpty()) return v;
    char c = v.charAt(0);
    boolean number = isNumber(v);
    return !number && (c == '=' || c == '+' || c == '-' || c == '@') ? "'" + v : v;
  }

  static boolean isNumber(String v) {
    return v.matches("-?[0-9]{1,18}(\\.[0-9]{1,12})?");
  }

  public static byte[] xlsx(ReportTable t) {
    try (SXSSFWorkbook wb = new SXSSFWorkbook(XLSX_WINDOW_ROWS)) {
      Sheet sheet = wb.createSheet("report");
      Row header = sheet.createRow(0);
      for (int i = 0; i < t.columns().size(); i++) header.createCell(i).setCellValue(t.columns().get(i));
      int r = 1;
      for (List<String> row : t.rows()) {
        Row x = sheet.createRow(r++);
        for (int i = 0; i < row.size(); i++) {
          Cell cell = x.createCell(i);
          String v = row.get(i);
          if (isNumber(v)) cell.setCellValue(Double.parseDouble(v));
          else cell.setCellValue(v);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wb.write(out);
      wb.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] pdf(ReportTable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document doc = new Document(PageSize.A4.rotate(), 18, 18, 24, 24);
    try {
      PdfWriter.getInstance(doc, out);
      doc.addTitle(t.title());
      doc.addCreator("Vigil");
      doc.open();
      doc.add(new Paragraph(t.title(), FontFactory.getFont(FontFactory.HELVETICA_BOLD, 12)));
      doc.add(new Paragraph(" "));
      Font cellFont = FontFactory.getFont(FontFactory.HELVETICA, t.columns().size() > 12 ? 5 : 8);
      Font headFont = FontFactory.getFont(FontFactory.HELVETICA_BOLD, t.columns().size() > 12 ? 5 : 8);
      PdfPTable table = new PdfPTable(t.columns().size());
      table.setWidthPercentage(100);
      table.setHeaderRows(1);
      for (String c : t.columns()) table.addCell(new Paragraph(c.replace('_', ' '), headFont));
      int rows = 0;
      for (List<String> row : t.rows()) {
        if (rows++ == PDF_ROWS_MAX) break;
        for (String v : row) table.addCell(new Paragraph(v, cellFont));
      }
      doc.add(table);
      if (t.rows().size() > PDF_ROWS_MAX) {
        doc.add(new Paragraph("… " + (t.rows().size() - PDF_ROWS_MAX) + " more rows: see the CSV or XLSX export", cellFont));
      }
    } catch (DocumentException e) {
      throw new IllegalStateException("writing the PDF failed", e);
    } finally {
      doc.close();
    }
    return out.toByteArray();
  }
}
