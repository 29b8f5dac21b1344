package io.vigil.server.screening;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams an XML list file and hands each record element (sdnEntry, INDIVIDUAL, ENTITY) to the
 * caller as a small tree. DTDs and external entities are refused (no XXE); a record is at most
 * {@link #NODES_PER_RECORD_MAX} elements. Namespaces are ignored: element names are local names.
 */
final class XmlRecords {
  static final int NODES_PER_RECORD_MAX = 10_000;

  /** One element: its local name, its text, its children; line is where it starts. */
  record Node(String name, StringBuilder text, List<Node> children, int line) {
    String text(String child) {
      for (Node c : children) {
        if (c.name.equals(child)) return c.text.toString().strip();
      }
      return null;
    }

    List<Node> all(String child) {
      List<Node> out = new ArrayList<>();
      for (Node c : children) {
        if (c.name.equals(child)) out.add(c);
      }
      return out;
    }

    /** Every descendant element of that name, depth-first (the tree is bounded). */
    List<Node> descendants(String descendant) {
      List<Node> out = new ArrayList<>();
      List<Node> stack = new ArrayList<>(children);
      while (!stack.isEmpty()) {
        Node n = stack.remove(stack.size() - 1);
        if (n.name.equals(descendant)) out.add(n);
        stack.addAll(n.children);
      }
      return out;
    }
  }

  interface RecordHandler {
    void record(Node node) throws ListFileException;
  }

  private XmlRecords() {}

  /** Reads the file; rootName is the expected root element, recordNames the elements handed over. */
  static void read(InputStream in, String rootName, Set<String> recordNames, RecordHandler handler) throws ListFileException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(in);
      boolean rootSeen = false;
      List<Node> open = new ArrayList<>();
      int nodes = 0;
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.DTD) throw new ListFileException("line " + r.getLocation().getLineNumber() + ": a DTD is not allowed");
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String name = r.getLocalName();
          int line = r.getLocation().getLineNumber();
          if (!rootSeen) {
            if (!name.equals(rootName)) {
              throw new ListFileException("line " + line + ": root element is <" + name + ">, expected <" + rootName + ">");
            }
            rootSeen = true;
            continue;
          }
          if (open.isEmpty() && !recordNames.contains(name)) continue;
          if (++nodes > NODES_PER_RECORD_MAX) {
            throw new ListFileException("line " + line + ": element <" + name + "> makes a record of more than "
                + NODES_PER_RECORD_MAX + " elements");
          }
          Node n = new Node(name, new StringBuilder(), new ArrayList<>(), line);
          if (!open.isEmpty()) open.get(open.size() - 1).children().add(n);
          open.add(n);
        } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) && !open.isEmpty()) {
          StringBuilder text = open.get(open.size() - 1).text();
          if (text.length() < 4_096) text.append(r.getText());
        } else if (ev == XMLStreamConstants.END_ELEMENT && !open.isEmpty()) {
          Node done = open.remove(open.size() - 1);
          if (open.isEmpty()) {
            handler.record(done);
            nodes = 0;
          }
        }
      }
      if (!rootSeen) throw new ListFileException("line 1: no XML root element");
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw new ListFileException("line " + line + ": not well-formed XML: " + firstLine(e.getMessage()));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing more to read
        }
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    String m = message.contains("Message: ") ? message.substring(message.indexOf("Message: ") + 9) : message;
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
