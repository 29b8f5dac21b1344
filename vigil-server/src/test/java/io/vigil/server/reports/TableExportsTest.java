package io.vigil.server.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Each export reads back with a real reader: commons-csv, Apache POI for XLSX, OpenPDF for the PDF. */
class TableExportsTest {
  private static final ReportTable TABLE = new ReportTable("Cross-border dashboard (volumes in USD)",
      List.of("month", "transactions", "approved_volume", "note"),
      List.of(List.of("2026-01", "12", "1500.25", "=HYPERLINK(\"x\")"), List.of("2026-02", "0", "0.00", "quiet, \"month\"")));

  @Test
  void csvReadsBack() throws Exception {
    String csv = new String(TableExports.csv(TABLE), StandardCharsets.UTF_8);
    List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
    assertEquals(3, records.size());
    assertEquals(List.of("month", "transactions", "approved_volume", "note"), records.get(0).toList());
    assertEquals("1500.25", records.get(1).get(2));
    assertEquals("'=HYPERLINK(\"x\")", records.get(1).get(3), "a formula is written as text");
    assertEquals("quiet, \"month\"", records.get(2).get(3));
  }

  @Test
  void xlsxReadsBackWithNumbersAsNumbers() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(TableExports.xlsx(TABLE)))) {
      Sheet s = wb.getSheetAt(0);
      assertEquals("approved_volume", s.getRow(0).getCell(2).getStringCellValue());
      assertEquals(CellType.NUMERIC, s.getRow(1).getCell(1).getCellType());
      assertEquals(12.0, s.getRow(1).getCell(1).getNumericCellValue());
      assertEquals(1500.25, s.getRow(1).getCell(2).getNumericCellValue());
      assertEquals(CellType.STRING, s.getRow(1).getCell(3).getCellType(), "a formula is never written as one");
      assertEquals("2026-02", s.getRow(2).getCell(0).getStringCellValue());
      assertEquals(2, s.getLastRowNum());
    }
  }

  @Test
  void pdfIsAPdfThatOpenPdfReads() throws Exception {
    byte[] pdf = TableExports.pdf(TABLE);
    assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
    PdfReader reader = new PdfReader(pdf);
    try {
      assertEquals(1, reader.getNumberOfPages());
      String text = new PdfTextExtractor(reader).getTextFromPage(1);
      assertTrue(text.contains("Cross-border dashboard"), text);
      assertTrue(text.contains("1500.25"), text);
    } finally {
      reader.close();
    }
  }
}
