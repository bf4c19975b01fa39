package dev.ferry.serve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many rows a search matches, counted up to {@link #COUNT_UP_TO} (a scan that stops there), and
 * what that means for its plan. The page ranks only the first {@link RowQuery#SEARCH_CANDIDATES}
 * matches in key (or the requested) order; PostgreSQL, which cannot see how common a searched word
 * is through a bound parameter, may fetch every match through the full-text index and sort them
 * (seconds for a word in a third of a million rows). Past the bound the word is common, so the
 * ordered scan that stops after the candidates is cheap: the transaction turns bitmap scans off
 * ({@code SET LOCAL}), and the page says the match count is a lower bound.
 */
final class SearchBound {
  static final long COUNT_UP_TO = 10_000;

  /** Matches counted: exact, or at least {@code count} when not. */
  record Matches(long count, boolean exact) {}

  private SearchBound() {}

  /**
   * Counts {@code q}'s matches within the bound on {@code c} (left in a transaction the caller
   * ends), and, past it, steers the page's plan to the ordered scan. Null without a search.
   */
  static Matches prepare(Connection c, RowQuery q) throws SQLException {
    if (q.search == null || q.searchCondition == null) {
      return null;
    }
    c.setAutoCommit(false);
    long n;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM (SELECT 1 FROM "
                + q.table.qualified()
                + " WHERE "
                + q.searchCondition
                + " LIMIT "
                + (COUNT_UP_TO + 1)
                + ") x")) {
      JsonOut.bind(ps, q.params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        n = rs.getLong(1);
      }
    }
    if (n <= COUNT_UP_TO) {
      return new Matches(n, true);
    }
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL enable_bitmapscan = off");
    }
    return new Matches(COUNT_UP_TO, false);
  }
}
