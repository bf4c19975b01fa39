package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code GET /api/tables/S/T/histogram?column=C&buckets=N&FILTERS}: how the values of a numeric,
 * date or time column are spread among the rows that pass the filters: {@code {"column", "kind",
 * "buckets": [{"lower", "upper", "count"}], "nulls", "estimated", "sample_percent"}}, buckets of a
 * round width ({@link Buckets}: {@code lower <= v < upper}, the first and last open-ended). Each
 * bucket reads back as filters: {@code C=gte.LOWER&C=lt.UPPER} (no lower bound on the first, no
 * upper on the last).
 *
 * <p>Bounded time as facets: past {@link Counts#EXACT_UP_TO} matching rows, min, max and the counts
 * come from a {@link Sample}, scaled up, and the answer says {@code "estimated": true}.
 */
final class HistogramHandler {
  static final int DEFAULT_BUCKETS = 20;
  static final int MAX_BUCKETS = 100;
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;
  private final long exactUpTo;

  HistogramHandler(DataSource db, Catalog catalog, JsonOut out, long exactUpTo) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
    this.exactUpTo = exactUpTo;
  }

  private record Range(BigDecimal min, BigDecimal max, long values, long nulls) {}

  void histogram(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    String name = ctx.queryParam("column");
    if (name == null || name.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "histogram: name a numeric, date or time column, e.g. column=created_at");
    }
    int wanted = buckets(ctx.queryParam("buckets"));
    RowQuery q = RowQuery.filtersOnly(t, ctx.queryParamMap(), "histogram", "column", "buckets");
    RowQuery.Expression x = q.expression(name); // an unknown name: the usual message
    Catalog.Column column = t.column(name);
    Buckets.Kind kind = column == null ? null : Buckets.Kind.of(column.type());
    if (kind == null) {
      throw new FerryException(
          ErrorCode.USAGE,
          "histogram: "
              + RowQuery.abbreviate(name)
              + " is "
              + x.type()
              + "; histograms are for numeric, date and time columns (facets count the values of"
              + " any column or JSON path)");
    }
    long started = System.nanoTime();
    out.respond(
        ctx,
        "histogram",
        g -> {
          Sample sample;
          Range range;
          Buckets buckets = null;
          long[] counts = new long[0];
          try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // the count, the range and the buckets from one snapshot
            sample = Sample.of(c, t, Counts.count(c, q, exactUpTo), exactUpTo);
            String rows =
                "(SELECT "
                    + x.sql()
                    + " AS x FROM "
                    + sample.from()
                    + " WHERE "
                    + q.filters()
                    + sample.limit()
                    + ") s";
            range = range(c, q, kind, rows);
            if (range.min() != null) {
              buckets = Buckets.over(kind, range.min(), range.max(), wanted);
              counts = counts(c, q, buckets, column.type(), rows);
            }
            c.rollback();
          }
          g.writeStartObject();
          g.writeStringField("column", name);
          g.writeStringField("type", column.type());
          g.writeStringField("kind", kind.time() ? "time" : "number");
          g.writeArrayFieldStart("buckets");
          String json = kind == Buckets.Kind.INTEGER ? "bigint" : kind.time() ? "text" : "numeric";
          for (int i = 0; i < counts.length; i++) {
            g.writeStartObject();
            g.writeFieldName("lower");
            RowWriter.value(g, buckets.text(buckets.bound(i)), json);
            g.writeFieldName("upper");
            RowWriter.value(g, buckets.text(buckets.bound(i + 1)), json);
            g.writeNumberField("count", Math.round(counts[i] * sample.scale()));
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeNumberField("nulls", Math.round(range.nulls() * sample.scale()));
          g.writeBooleanField("estimated", sample.estimated());
          g.writeNumberField("sample_percent", sample.roundedPercent());
          g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
          g.writeEndObject();
        });
  }

  private static int buckets(String given) {
    if (given == null) {
      return DEFAULT_BUCKETS;
    }
    try {
      int n = Integer.parseInt(given);
      if (n >= 1 && n <= MAX_BUCKETS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new FerryException(
        ErrorCode.USAGE,
        "buckets: a whole number from 1 to "
            + MAX_BUCKETS
            + " (got '"
            + RowQuery.abbreviate(given)
            + "')");
  }

  /** The least and greatest finite value (as positions), and how many rows hold none. */
  private static Range range(Connection c, RowQuery q, Buckets.Kind kind, String rows)
      throws SQLException {
    String finite =
        kind == Buckets.Kind.INTEGER
            ? "x IS NOT NULL"
            : "lower(x::text) NOT IN ('nan', 'infinity', '-infinity')";
    String p = kind.position("x");
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT min("
                + p
                + ") FILTER (WHERE "
                + finite
                + "), max("
                + p
                + ") FILTER (WHERE "
                + finite
                + "), count(x), count(*) - count(x) FROM "
                + rows)) {
      JsonOut.bind(ps, q.filterParams);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Range(rs.getBigDecimal(1), rs.getBigDecimal(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  /** Rows per bucket, as width_bucket counts them against the buckets' thresholds. */
  private static long[] counts(Connection c, RowQuery q, Buckets buckets, String type, String rows)
      throws SQLException {
    long[] counts = new long[buckets.count];
    List<String> thresholds = buckets.thresholds();
    String bucket = thresholds.isEmpty() ? "0" : "width_bucket(x, CAST(? AS " + type + "[]))";
    List<Object> params = new ArrayList<>();
    if (!thresholds.isEmpty()) {
      params.add(
          "{" + String.join(",", thresholds.stream().map(v -> '"' + v + '"').toList()) + "}");
    }
    params.addAll(q.filterParams);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + bucket + ", count(*) FROM " + rows + " WHERE x IS NOT NULL GROUP BY 1")) {
      JsonOut.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts[rs.getInt(1)] = rs.getLong(2);
        }
      }
    }
    return counts;
  }
}
