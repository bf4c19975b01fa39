package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code GET /api/tables/S/T/export?format=csv|ndjson}: every row of a filtered view, streamed
 * through a server-side cursor in constant memory. Errors surface before the first byte is sent.
 */
final class ExportHandler {
  private final DataSource db;
  private final Catalog catalog;

  ExportHandler(DataSource db, Catalog catalog) {
    this.db = db;
    this.catalog = catalog;
  }

  void export(Context ctx) throws SQLException, IOException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    String format = ctx.queryParam("format") == null ? "csv" : ctx.queryParam("format");
    if (!format.equals("csv") && !format.equals("ndjson")) {
      throw new FerryException(ErrorCode.USAGE, "format: csv or ndjson");
    }
    RowQuery q = new RowQuery(t, ctx.queryParamMap(), true);
    if (q.search != null) {
      throw new FerryException(
          ErrorCode.USAGE, "export takes filters, not q= (search results are capped)");
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(q.sql)) {
        ps.setFetchSize(1000);
        JsonOut.bind(ps, q.bind);
        try (ResultSet rs = ps.executeQuery()) { // errors surface here, before any byte is sent
          ctx.contentType(
              format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson");
          ctx.header(
              "Content-Disposition",
              "attachment; filename=\""
                  + t.name().replaceAll("[^A-Za-z0-9_.-]", "_")
                  + "."
                  + format
                  + "\"");
          OutputStream raw = ctx.res().getOutputStream();
          if (format.equals("csv")) {
            csv(raw, rs, t.columns());
          } else {
            ndjson(raw, rs, t.columns());
          }
        }
      } finally {
        c.rollback();
      }
    }
  }

  private static void csv(OutputStream raw, ResultSet rs, List<Catalog.Column> cols)
      throws IOException, SQLException {
    Writer w = new OutputStreamWriter(raw, StandardCharsets.UTF_8);
    w.write(String.join(",", cols.stream().map(x -> RowWriter.csv(x.name())).toList()));
    w.write("\r\n");
    while (rs.next()) {
      for (int i = 0; i < cols.size(); i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(RowWriter.csv(rs.getString(i + 1)));
      }
      w.write("\r\n");
    }
    w.flush();
  }

  private static void ndjson(OutputStream raw, ResultSet rs, List<Catalog.Column> cols)
      throws IOException, SQLException {
    JsonGenerator g = JsonOut.JSON.createGenerator(raw);
    g.setRootValueSeparator(new SerializedString("\n"));
    while (rs.next()) {
      RowWriter.row(g, rs, cols);
    }
    g.writeRaw('\n');
    g.flush();
  }
}
