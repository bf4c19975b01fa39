package dev.ferry.serve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The most common values of an expression among the rows that pass some filters, in bounded time
 * whatever the filters:
 *
 * <ul>
 *   <li>a table of at most {@link #SAMPLE_ROWS} rows (the planner's estimate), or filters that pass
 *       at most {@code exactUpTo} rows (a count that stops there), is counted exactly;
 *   <li>on a bigger table, one sample of about {@link #SAMPLE_ROWS} rows ({@code TABLESAMPLE
 *       SYSTEM}, the same pages on every request: {@code REPEATABLE (0)}) is read, the filters are
 *       applied to it, and each value's count in it is scaled by the table's rows over the
 *       sample's: a filter costs what no filter costs, and the answer is labelled estimated. Only
 *       when the sample finds so few matching rows that the filtered set is probably small is the
 *       exact count tried;
 *   <li>a view (no pages to sample) is read through its first {@code exactUpTo} matching rows.
 * </ul>
 *
 * Samples' answers are shared through a {@link SampleCache}: concurrent requests for the same facet
 * read once, and a write through the API forgets them all.
 */
final class Facets {
  static final int VALUES = 30;
  static final int SAMPLE_ROWS = 20_000;

  /** One value and its count (scaled when estimated). */
  record Value(String value, long count) {}

  /**
   * An answer: up to {@link #VALUES} + 1 values, most common first; {@code sampleRows} the rows
   * read when estimated.
   */
  record Answer(List<Value> values, boolean estimated, double percent, long sampleRows) {}

  /** What a sample of a table holds for one facet (counts unscaled). */
  private record Sampled(List<Value> values, long matched, long read, long tableRows) {
    double scale() {
      return read == 0 ? 0 : (double) tableRows / read;
    }

    Answer answer() {
      List<Value> scaled = new ArrayList<>();
      for (Value v : values) {
        scaled.add(new Value(v.value(), Math.round(v.count() * scale())));
      }
      return new Answer(
          scaled, true, tableRows == 0 ? 100 : Math.min(100, 100.0 * read / tableRows), read);
    }
  }

  private record Key(String table, String expression, String filters, List<Object> params) {}

  /** How long a sample's answer is reused, at most (a write through the API forgets it sooner). */
  static final long MAX_AGE_MILLIS = 60_000;

  private final DataSource db;
  private final long exactUpTo;
  private final SampleCache<Key, Sampled> samples = new SampleCache<>(MAX_AGE_MILLIS, 512);

  /** Facets over {@code db}, exact while the filtered rows are at most {@code exactUpTo}. */
  Facets(DataSource db, long exactUpTo) {
    this.db = db;
    this.exactUpTo = exactUpTo;
  }

  /**
   * The after-handler of every request: a request that may have written (any method but GET, HEAD
   * and OPTIONS that did not fail) makes every cached sample stale.
   */
  void afterRequest(io.javalin.http.Context ctx) {
    io.javalin.http.HandlerType m = ctx.method();
    if (!m.equals(io.javalin.http.HandlerType.GET)
        && !m.equals(io.javalin.http.HandlerType.HEAD)
        && !m.equals(io.javalin.http.HandlerType.OPTIONS)
        && ctx.statusCode() < 400) {
      samples.invalidateAll();
    }
  }

  /** How many sample reads were made (concurrent requests for one facet share one). */
  long sampleReads() {
    return samples.reads();
  }

  /** The facet of {@code x} over {@code q}'s filters. */
  Answer of(RowQuery q, RowQuery.Expression x) throws SQLException {
    Catalog.Table t = q.table;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false); // the count and the values from one snapshot
      try {
        if (!t.kind().equals("table")) {
          return viewFacet(c, q, x);
        }
        Sampled s = null;
        long all = Counts.estimate(c, "SELECT 1 FROM " + t.qualified(), List.of());
        if (all > SAMPLE_ROWS) {
          s = sample(c, q, x, all);
          if (s.matched() * s.scale() > 2.0 * exactUpTo) {
            return s.answer(); // the filtered set is big: the sample says enough
          }
        }
        Counts.Count n = Counts.count(c, q, exactUpTo);
        if (n.exact()) {
          return new Answer(exact(c, q, x, t.qualified(), ""), false, 100, n.count());
        }
        return (s == null ? sample(c, q, x, Math.max(all, n.count())) : s).answer();
      } finally {
        c.rollback();
      }
    }
  }

  private Sampled sample(Connection c, RowQuery q, RowQuery.Expression x, long all)
      throws SQLException {
    Key key = new Key(q.table.qualified(), x.sql(), q.filters(), q.filterParams);
    return samples.get(key, () -> read(c, q, x, all));
  }

  /**
   * One pass over the sample: per value among the rows that pass the filters, its count; over all
   * groups, the rows read and the rows that matched (window sums, so even a sample where nothing
   * matches reports what it read).
   */
  private static Sampled read(Connection c, RowQuery q, RowQuery.Expression x, long all)
      throws SQLException {
    double percent = Math.min(100, Math.max(0.0001, 100.0 * SAMPLE_ROWS / Math.max(1, all)));
    String sql =
        "SELECT v, n, sum(n) OVER (), coalesce(sum(n) FILTER (WHERE hit) OVER (), 0), hit FROM"
            + " (SELECT hit, CASE WHEN hit THEN v END AS v, count(*) AS n FROM (SELECT ("
            + q.filters()
            + ") IS TRUE AS hit, ("
            + x.sql()
            + ")::text AS v FROM "
            + q.table.qualified()
            + " TABLESAMPLE SYSTEM ("
            + percent
            + ") REPEATABLE (0)) r GROUP BY 1, 2) g ORDER BY hit DESC, n DESC, v NULLS FIRST"
            + " LIMIT "
            + (VALUES + 1);
    List<Value> values = new ArrayList<>();
    long read = 0;
    long matched = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JsonOut.bind(ps, q.filterParams);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          read = rs.getLong(3);
          matched = rs.getLong(4);
          if (rs.getBoolean(5)) {
            values.add(new Value(rs.getString(1), rs.getLong(2)));
          }
        }
      }
    }
    return new Sampled(List.copyOf(values), matched, read, Math.max(all, read));
  }

  /** Every row of {@code from} that passes the filters, counted per value. */
  private static List<Value> exact(
      Connection c, RowQuery q, RowQuery.Expression x, String from, String limit)
      throws SQLException {
    String sql =
        "SELECT v, count(*) FROM (SELECT ("
            + x.sql()
            + ")::text AS v FROM "
            + from
            + " WHERE "
            + q.filters()
            + limit
            + ") s GROUP BY v ORDER BY 2 DESC, 1 NULLS FIRST LIMIT "
            + (VALUES + 1);
    List<Value> values = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JsonOut.bind(ps, q.filterParams);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.add(new Value(rs.getString(1), rs.getLong(2)));
        }
      }
    }
    return values;
  }

  /** A view: exact up to the bound, else its first that-many matching rows, scaled. */
  private Answer viewFacet(Connection c, RowQuery q, RowQuery.Expression x) throws SQLException {
    Sample s = Sample.of(c, q.table, Counts.count(c, q, exactUpTo), exactUpTo);
    List<Value> values = new ArrayList<>();
    for (Value v : exact(c, q, x, s.from(), s.limit())) {
      values.add(new Value(v.value(), Math.round(v.count() * s.scale())));
    }
    return new Answer(values, s.estimated(), s.percent(), s.estimated() ? exactUpTo : 0);
  }
}
