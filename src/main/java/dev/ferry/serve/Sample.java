package dev.ferry.serve;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a histogram (and a facet of a view; tables' facets: {@link Facets}) reads, in bounded time:
 * every row that passes the filters while there are at most {@link Counts#EXACT_UP_TO} of them;
 * beyond that, a table through {@code TABLESAMPLE SYSTEM} (about that many rows, the same sample on
 * every request: {@code REPEATABLE (0)}) and a view through its first that-many rows. Counts over
 * the sample are multiplied by {@link #scale} and the answer says {@code "estimated": true}.
 *
 * @param from the relation to read, sampled or not
 * @param limit {@code ""}, or a LIMIT clause after the filters (views)
 * @param scale what a count over the rows read is multiplied by
 * @param percent the share of the rows read, 100 when all
 * @param estimated whether the rows read are a sample
 */
record Sample(String from, String limit, double scale, double percent, boolean estimated) {
  /** How to read {@code t}'s rows that pass filters counted as {@code n}. */
  static Sample of(Connection c, Catalog.Table t, Counts.Count n, long exactUpTo)
      throws SQLException {
    if (n.exact()) {
      return new Sample(t.qualified(), "", 1, 100, false);
    }
    if (t.kind().equals("table")) {
      long all = Math.max(1, Counts.estimate(c, "SELECT 1 FROM " + t.qualified(), List.of()));
      double percent = Math.min(100, Math.max(0.01, 100.0 * exactUpTo / all));
      return new Sample(
          t.qualified() + " TABLESAMPLE SYSTEM (" + percent + ") REPEATABLE (0)",
          "",
          100 / percent,
          percent,
          true);
    }
    return new Sample(
        t.qualified(),
        " LIMIT " + exactUpTo,
        (double) n.count() / exactUpTo,
        100.0 * exactUpTo / n.count(),
        true);
  }

  /** The share read, as the answers print it (two decimals). */
  double roundedPercent() {
    return Math.round(percent * 100) / 100.0;
  }
}
