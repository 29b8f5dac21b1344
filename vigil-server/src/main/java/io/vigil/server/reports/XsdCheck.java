package io.vigil.server.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Validation against the FIU's goAML XSD, installed by the operator ({@code vigil.reports.goaml.xsd-path}). */
public final class XsdCheck {
  private final Schema schema;
  private final String source;

  private XsdCheck(Schema schema, String source) {
    this.schema = schema;
    this.source = source;
  }

  /** The schema at {@code path}; a schema that does not load fails start-up. Empty path: none. */
  public static XsdCheck load(String path) {
    if (path == null || path.isEmpty()) return null;
    try {
      SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file");
      return new XsdCheck(f.newSchema(Path.of(path).toFile()), Path.of(path).getFileName().toString());
    } catch (SAXException e) {
      throw new IllegalArgumentException("the goAML XSD at " + path + " does not load: " + e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  public List<ReportProblem> check(Document doc) {
    List<ReportProblem> out = new ArrayList<>();
    Validator v = schema.newValidator();
    v.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) {}

      @Override
      public void error(SAXParseException e) {
        if (out.size() < GoamlCheck.PROBLEMS_MAX) out.add(new ReportProblem("xsd", "schema_violation", e.getMessage()));
      }

      @Override
      public void fatalError(SAXParseException e) {
        error(e);
      }
    });
    try {
      v.validate(new DOMSource(doc));
    } catch (SAXException e) {
      if (out.isEmpty()) out.add(new ReportProblem("xsd", "schema_violation", e.getMessage()));
    } catch (IOException e) {
      out.add(new ReportProblem("xsd", "schema_violation", "reading the report failed: " + e.getMessage()));
    }
    return out;
  }
}
