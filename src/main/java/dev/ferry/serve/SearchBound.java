package dev.ferry.serve;

import dev.ferry.postgres.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

/**
 * How many rows a search matches, in bounded time, and the page plan that count calls for. The page
 * ranks only the first {@link RowQuery#SEARCH_CANDIDATES} matches in key (or the requested) order,
 * and PostgreSQL, which cannot see how common a searched word is through a bound parameter, would
 * otherwise pick either plan for any word. Both are ruinous for the wrong word (measured on 1M
 * tweets): fetching every match through the full-text index and sorting them takes seconds for a
 * word in a third of the rows, and walking the key order until 200 candidates are found reads the
 * whole table (7 s) for a word that is in no row.
 *
 * <ul>
 *   <li>When the planner's estimate for a full-text search is past the bound and past {@link
 *       #COMMON_SHARE} of the table, it comes from the column's statistics of its most common
 *       words, and counting would read every match: the estimate is the answer (labelled), and the
 *       page walks the key order with bitmap scans off (the candidates are dense, so the walk stops
 *       early).
 *   <li>Otherwise matches are counted up to {@link #COUNT_UP_TO}. Within it the count is exact and
 *       the page fetches the matches through the index and sorts them (plain index scans off: no
 *       walk that may never find its candidates). Past it the count is a lower bound and the page
 *       walks the key order.
 * </ul>
 *
 * Every search plans with the searched word's values ({@code plan_cache_mode = force_custom_plan}):
 * a generic plan cached for one word would ignore these settings for the next.
 */
final class SearchBound {
  static final long COUNT_UP_TO = 10_000;
  static final double COMMON_SHARE = 0.02;

  /**
   * Matches: counted exactly, or at least {@code count} (counting stopped), or the planner's
   * estimate; {@code walks}: the page walks the candidate order (else it fetches every match).
   */
  record Matches(long count, boolean exact, boolean estimated, boolean walks) {}

  /**
   * How long a page may walk the candidate order before it fetches every match through the index
   * instead (never longer than the session's own statement timeout): a walk is cheap when matches
   * are spread along that order, but a word common only at its far end (a new term in the newest
   * rows, searched oldest first) would read the table up to there.
   */
  static final int WALK_BUDGET_MILLIS = 500;

  private SearchBound() {}

  /**
   * Counts or estimates {@code q}'s matches on {@code c} (left in a transaction the caller ends)
   * and steers the page's plan to match. Null without a search.
   */
  static Matches prepare(Connection c, RowQuery q) throws SQLException {
    if (q.search == null || q.searchCondition == null) {
      return null;
    }
    c.setAutoCommit(false);
    set(c, "plan_cache_mode = force_custom_plan");
    String from = " FROM " + q.table.qualified() + " WHERE " + q.searchCondition;
    long estimate = q.searchIndexed ? Counts.estimate(c, "SELECT 1" + from, q.params) : 0;
    if (estimate > COUNT_UP_TO && commonByStatistics(c, q, estimate)) {
      return new Matches(estimate, false, true, walkOrFetch(c, q));
    }
    long n;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM (SELECT 1" + from + " LIMIT " + (COUNT_UP_TO + 1) + ") x")) {
      JsonOut.bind(ps, q.params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        n = rs.getLong(1);
      }
    }
    if (n <= COUNT_UP_TO) {
      set(c, "enable_indexscan = off");
      return new Matches(n, true, false, false);
    }
    return new Matches(COUNT_UP_TO, false, false, walkOrFetch(c, q));
  }

  /**
   * Many matches: the page walks the candidate order when a btree index gives it ({@link
   * RowQuery#searchWalkable}), else it fetches every match through the index. True for a walk.
   */
  private static boolean walkOrFetch(Connection c, RowQuery q) throws SQLException {
    if (q.searchWalkable()) {
      walkInOrder(c);
      return true;
    }
    set(c, "enable_indexscan = off");
    return false;
  }

  /**
   * Runs the page {@code ps} of a search prepared by {@link #prepare}: a walk that outlasts {@link
   * #WALK_BUDGET_MILLIS} is cancelled (back to a savepoint) and the page fetched through the index,
   * which costs the matches' number and never more than that. Either plan gives the same rows (the
   * candidates are ordered by a unique key: only tables with a primary key walk).
   */
  static ResultSet page(Connection c, PreparedStatement ps, Matches m) throws SQLException {
    return page(c, ps, m, WALK_BUDGET_MILLIS);
  }

  /** {@link #page} with a walk budget of {@code budgetMillis}. */
  static ResultSet page(Connection c, PreparedStatement ps, Matches m, int budgetMillis)
      throws SQLException {
    if (m == null || !m.walks()) {
      return ps.executeQuery();
    }
    long session = sessionTimeoutMillis(c);
    long budget = session > 0 ? Math.min(budgetMillis, session) : budgetMillis;
    Savepoint walk = c.setSavepoint();
    try {
      set(c, "statement_timeout = " + budget);
      ResultSet rs = ps.executeQuery();
      c.releaseSavepoint(walk);
      return rs;
    } catch (SQLException e) {
      if (SqlStates.of(e) != SqlStates.Kind.CANCELLED) {
        throw e;
      }
      c.rollback(walk); // the budget goes with it
    }
    set(c, "enable_bitmapscan = on");
    set(c, "enable_indexscan = off");
    return ps.executeQuery();
  }

  /** The session's statement timeout in milliseconds (0: none). */
  private static long sessionTimeoutMillis(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Whether the planner's {@code estimate} of a search's matches is more than {@link #COMMON_SHARE}
   * of the table. PostgreSQL estimates a word missing from the column's statistics at 0.5% of the
   * rows at most (ts_selfuncs.c), so an estimate past that share comes from the statistics' most
   * common words: then a walk in key order meets a candidate every 1 / share rows or so and stops
   * early.
   */
  private static boolean commonByStatistics(Connection c, RowQuery q, long estimate)
      throws SQLException {
    long rows = Counts.estimate(c, "SELECT 1 FROM " + q.table.qualified(), java.util.List.of());
    return estimate > COMMON_SHARE * rows;
  }

  /**
   * The page's plan walks the requested order and stops at the candidates: no bitmap (it fetches
   * every match), no sequential scan (the planner, still believing the word rare, would read the
   * whole table to sort its matches).
   */
  private static void walkInOrder(Connection c) throws SQLException {
    set(c, "enable_bitmapscan = off");
    set(c, "enable_seqscan = off");
  }

  private static void set(Connection c, String setting) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL " + setting);
    }
  }
}
