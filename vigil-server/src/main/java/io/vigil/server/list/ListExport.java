package io.vigil.server.list;

import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the entries in force, newest first, as an import file: the way to share a list with
 * another Vigil or institution. Expired entries are left out (an import would refuse them). The
 * rows are read a page at a time, each page on its own short connection, so an export runs in
 * constant memory and a slow download holds no connection that decisions need.
 */
public final class ListExport {
  private final ListRepository repository;
  private final Clock clock;

  public ListExport(ListRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** The list kind and entity when not null, every list otherwise. */
  public void csv(ListKind kind, ListEntity entity, Writer out) {
    long now = clock.millis();
    CSVPrinter printer = ListCsv.printer(out);
    repository.each(kind, entity, e -> {
      if (e.activeAt(now)) ListCsv.write(printer, e);
    });
    flush(printer);
  }

  public void json(ListKind kind, ListEntity entity, Writer out) {
    long now = clock.millis();
    ListJsonFile.open(out);
    boolean[] first = {true};
    repository.each(kind, entity, e -> {
      if (!e.activeAt(now)) return;
      ListJsonFile.write(out, e, first[0]);
      first[0] = false;
    });
    ListJsonFile.close(out);
  }

  private static void flush(CSVPrinter printer) {
    try {
      printer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
