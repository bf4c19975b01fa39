package dev.ferry.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * {@code GET /api/tables/S/T/count?FILTERS}: {@code {"count", "exact"}}, the rows that pass the
 * filters, exact up to {@link Counts#EXACT_UP_TO} and the planner's estimate beyond (see {@link
 * Counts}).
 */
final class CountHandler {
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;
  private final long exactUpTo;

  CountHandler(DataSource db, Catalog catalog, JsonOut out, long exactUpTo) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
    this.exactUpTo = exactUpTo;
  }

  void count(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    RowQuery q = RowQuery.filtersOnly(t, ctx.queryParamMap(), "count");
    long started = System.nanoTime();
    out.respond(
        ctx,
        "count",
        g -> {
          Counts.Count n;
          try (Connection c = db.getConnection()) {
            n = Counts.count(c, q, exactUpTo);
          }
          g.writeStartObject();
          g.writeNumberField("count", n.count());
          g.writeBooleanField("exact", n.exact());
          g.writeNumberField("exact_up_to", exactUpTo);
          g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
          g.writeEndObject();
        });
  }
}
