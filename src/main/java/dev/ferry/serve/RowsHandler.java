package dev.ferry.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code GET /api/tables/S/T/rows}: one page of a filtered, sorted or searched view, with the
 * opaque cursor of the next page (see {@link RowQuery} and {@link Cursor}).
 */
final class RowsHandler {
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;

  RowsHandler(DataSource db, Catalog catalog, JsonOut out) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
  }

  void rows(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    RowQuery q = new RowQuery(t, ctx.queryParamMap(), false);
    long started = System.nanoTime();
    out.respond(
        ctx,
        q.search != null ? "search" : "page",
        g -> {
          try (Connection c = db.getConnection()) {
            SearchBound.Matches matches = SearchBound.prepare(c, q); // bounded search (issue 15)
            page(g, c, q, t, matches, started);
            if (!c.getAutoCommit()) {
              c.rollback();
            }
          }
        });
  }

  private static void page(
      com.fasterxml.jackson.core.JsonGenerator g,
      Connection c,
      RowQuery q,
      Catalog.Table t,
      SearchBound.Matches matches,
      long started)
      throws IOException, SQLException {
    try (PreparedStatement ps = c.prepareStatement(q.sql)) {
      JsonOut.bind(ps, q.bind);
      try (ResultSet rs = SearchBound.page(c, ps, matches)) {
        g.writeStartObject();
        g.writeStringField("table", t.schema() + "." + t.name());
        g.writeArrayFieldStart("rows");
        int n = 0;
        String lastOrder = null;
        List<String> lastKey = new ArrayList<>();
        boolean more = false;
        while (rs.next()) {
          if (n == q.limit) {
            more = true;
            break;
          }
          RowWriter.row(g, rs, t.columns());
          n++;
          lastKey.clear();
          for (String k : q.key) {
            lastKey.add(rs.getString(k.equals("ctid") ? "__ferry_ctid" : k));
          }
          lastOrder = q.orderColumn == null ? null : rs.getString(q.orderColumn.name());
        }
        g.writeEndArray();
        long offset = (q.after != null && q.after.isOffset() ? q.after.offset() : 0) + n;
        g.writeStringField("next", more ? q.next(lastOrder, lastKey, offset).encode() : null);
        g.writeNumberField("limit", q.limit);
        g.writeStringField("order", q.order);
        g.writeStringField("paging", q.offsetPaging() ? "offset" : "keyset");
        if (q.search != null) {
          g.writeNumberField("search_candidates_max", RowQuery.SEARCH_CANDIDATES);
          g.writeNumberField("search_matches", matches.count());
          g.writeBooleanField("search_matches_exact", matches.exact());
          g.writeBooleanField("search_matches_estimated", matches.estimated());
        }
        g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
        g.writeEndObject();
      }
    }
  }
}
