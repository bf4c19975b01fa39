package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
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
 * {@code GET /api/tables/S/T/facets?column=C&FILTERS}: the most common values of a column or JSON
 * path ({@code metadata->>lang}) among the rows that pass the filters, with their counts: {@code
 * {"column", "values": [{"value", "count"}], "estimated", "more"}}. Values are text (null for SQL
 * NULL), so each one reads back as a filter ({@code C=eq.VALUE}, or {@code C=is.null}).
 *
 * <p>Bounded time whatever the filters (see {@link Facets}): on a big table the values are counted
 * over one shared sample, scaled up, and the answer says {@code "estimated": true} with the
 * sample's share and rows ({@code sample_percent}, {@code sample_rows}).
 */
final class FacetHandler {
  static final int VALUES = Facets.VALUES;
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;
  private final Facets facets;

  FacetHandler(DataSource db, Catalog catalog, JsonOut out, Facets facets) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
    this.facets = facets;
  }

  void facets(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    String column = ctx.queryParam("column");
    if (column == null || column.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE, "facets: name the column, e.g. column=lang or column=metadata->>lang");
    }
    RowQuery q = RowQuery.filtersOnly(t, ctx.queryParamMap(), "facets", "column");
    RowQuery.Expression x = q.expression(column);
    long started = System.nanoTime();
    out.respond(
        ctx,
        "facets",
        g -> {
          Facets.Answer a = facets.of(q, x);
          List<Facets.Value> values = a.values();
          g.writeStartObject();
          g.writeStringField("column", column);
          g.writeArrayFieldStart("values");
          for (Facets.Value v : values.subList(0, Math.min(VALUES, values.size()))) {
            g.writeStartObject();
            g.writeStringField("value", v.value());
            g.writeNumberField("count", v.count());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeBooleanField("estimated", a.estimated());
          g.writeBooleanField("more", values.size() > VALUES);
          g.writeNumberField("sample_percent", Math.round(a.percent() * 100) / 100.0);
          if (a.estimated()) {
            g.writeNumberField("sample_rows", a.sampleRows());
          }
          g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
          g.writeEndObject();
        });
  }

  /**
   * {@code GET /api/tables/S/T/facets/suggested}: {@code {"columns"}}, the columns worth a facet:
   * from PostgreSQL's statistics (pg_stats, after ANALYZE), those with 2 to {@value
   * #SUGGESTED_UP_TO} distinct values, outside the primary key, fewest values first.
   */
  void suggested(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    out.respond(
        ctx,
        "facets",
        g -> {
          List<String> columns = new ArrayList<>();
          try (Connection c = db.getConnection()) {
            distinctCounts(c, t, columns);
          }
          g.writeStartObject();
          JsonOut.names(g, "columns", columns);
          g.writeEndObject();
        });
  }

  static final int SUGGESTED_UP_TO = 30;

  /** Adds to {@code columns} those with few distinct values, outside the key. */
  private static void distinctCounts(Connection c, Catalog.Table t, List<String> columns)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.attname, CASE WHEN s.n_distinct >= 0 THEN s.n_distinct ELSE -s.n_distinct *"
                + " greatest(c.reltuples, 0) END FROM pg_stats s JOIN pg_namespace n ON"
                + " n.nspname = s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND"
                + " c.relname = s.tablename WHERE s.schemaname = ? AND s.tablename = ? AND NOT"
                + " s.inherited ORDER BY 2, 1")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double distinct = rs.getDouble(2);
          String name = rs.getString(1);
          if (distinct >= 2
              && distinct <= SUGGESTED_UP_TO
              && !t.primaryKey().contains(name)
              && t.column(name) != null) {
            columns.add(name);
          }
        }
      }
    }
  }
}
