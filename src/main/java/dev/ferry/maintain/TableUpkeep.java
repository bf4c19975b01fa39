package dev.ferry.maintain;

import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ANALYZE and VACUUM (never FULL) where they are due, with autovacuum's own thresholds so that
 * ferry does now what autovacuum would do later:
 *
 * <ul>
 *   <li>ANALYZE a table retention deleted from, a table never analyzed that holds at least {@value
 *       #ANALYZE_BASE} rows, and a table where more than {@value #ANALYZE_BASE} + {@value
 *       #ANALYZE_SCALE} × its rows changed since the last analyze (autovacuum_analyze_threshold and
 *       _scale_factor's defaults);
 *   <li>VACUUM a table with at least {@value #VACUUM_MIN_DEAD} dead rows making up at least {@value
 *       #VACUUM_SCALE} of its live rows (counting the rows retention just deleted), unless {@code
 *       --no-vacuum}. A vacuumed table that needs analyzing gets {@code VACUUM (ANALYZE)}.
 * </ul>
 *
 * PostgreSQL skips, with a warning rather than an error, a table this role does not own: such a
 * table is reported as skipped with the warning, and the run does not end in success.
 */
final class TableUpkeep {
  static final long ANALYZE_BASE = 50;
  static final double ANALYZE_SCALE = 0.1;
  static final long VACUUM_MIN_DEAD = 1_000;
  static final double VACUUM_SCALE = 0.1;

  private TableUpkeep() {}

  /**
   * What one table got (or, in a dry run, would get), and why.
   *
   * @param skipped PostgreSQL's warning when it skipped the table, else null
   */
  record Action(
      String schema,
      String table,
      boolean analyze,
      boolean vacuum,
      List<String> why,
      String skipped) {
    String label() {
      return schema + "." + table;
    }
  }

  /**
   * The tables that need work. {@code stats} already count the rows retention deleted ({@link
   * TableStats#afterDeleting}); {@code deleted} says which tables those were.
   */
  static List<Action> plan(List<TableStats> stats, Map<String, Long> deleted, boolean vacuumOn) {
    List<Action> out = new ArrayList<>();
    for (TableStats s : stats) {
      List<String> why = new ArrayList<>();
      long gone = deleted.getOrDefault(s.label(), 0L);
      boolean analyze = false;
      if (gone > 0) {
        analyze = true;
        why.add(String.format("%,d rows expired by retention", gone));
      } else if (s.neverAnalyzed() && s.rows() >= ANALYZE_BASE) {
        analyze = true;
        why.add(String.format("never analyzed (%,d rows)", s.rows()));
      } else if (!s.neverAnalyzed()
          && s.modifiedSinceAnalyze() > ANALYZE_BASE + ANALYZE_SCALE * s.rows()) {
        analyze = true;
        why.add(
            String.format(
                "%,d rows changed since the last analyze (%s of %,d)",
                s.modifiedSinceAnalyze(), percent(s.modifiedSinceAnalyze(), s.rows()), s.rows()));
      }
      boolean vacuum =
          vacuumOn
              && s.dead() >= VACUUM_MIN_DEAD
              && s.dead() >= VACUUM_SCALE * Math.max(s.live(), 1);
      if (vacuum) {
        why.add(
            String.format(
                "%,d dead rows (%s of %,d live)", s.dead(), percent(s.dead(), s.live()), s.live()));
      }
      if (analyze || vacuum) {
        out.add(new Action(s.schema(), s.table(), analyze, vacuum, List.copyOf(why), null));
      }
    }
    return out;
  }

  /** Runs the planned statements, one table at a time, outside any transaction. */
  static List<Action> apply(Connection c, List<Action> planned, Consumer<String> progress)
      throws SQLException {
    List<Action> out = new ArrayList<>();
    c.setAutoCommit(true);
    for (Action a : planned) {
      String name = SqlText.qualified(a.schema(), a.table());
      String sql =
          a.vacuum() ? (a.analyze() ? "VACUUM (ANALYZE) " : "VACUUM ") + name : "ANALYZE " + name;
      String skipped = notAllowed(c, name);
      if (skipped == null) {
        try (Statement st = c.createStatement()) {
          st.execute(sql);
          for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            if (w.getMessage() != null && w.getMessage().contains("skipping")) {
              skipped = w.getMessage(); // a second signal; the check above does not read text
            }
          }
        }
      }
      progress.accept("  " + sql + (skipped == null ? "" : ": SKIPPED, " + skipped));
      out.add(new Action(a.schema(), a.table(), a.analyze(), a.vacuum(), a.why(), skipped));
    }
    return out;
  }

  /**
   * Why PostgreSQL would skip VACUUM/ANALYZE of the table for this role (it only warns, in the
   * server's language), or null: decided beforehand from ownership, never from a warning's text.
   */
  private static String notAllowed(Connection c, String name) throws SQLException {
    try (Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT pg_has_role(c.relowner, 'USAGE') OR r.rolsuper, pg_get_userbyid(c.relowner)"
                    + " FROM pg_class c, pg_roles r WHERE c.oid = "
                    + SqlText.literal(name)
                    + "::regclass AND r.rolname = current_user")) {
      if (rs.next() && !rs.getBoolean(1)) {
        return "owned by " + rs.getString(2) + ", and only its owner may vacuum or analyze it";
      }
      return null;
    }
  }

  static String percent(long part, long whole) {
    return whole <= 0 ? "all" : Math.round(100.0 * part / whole) + "%";
  }
}
