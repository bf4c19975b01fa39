package dev.ferry.maintain;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A user table as PostgreSQL's cumulative statistics see it ({@code pg_stat_user_tables} with
 * {@code pg_class.reltuples} and the table's size). The counters are PostgreSQL's estimates,
 * updated shortly after each transaction; ferry adds what it knows itself (rows it just deleted).
 *
 * @param reltuples the planner's row estimate (-1 when never analyzed or vacuumed)
 * @param bytes the table's size with TOAST, without indexes
 */
record TableStats(
    String schema,
    String table,
    double reltuples,
    long live,
    long dead,
    long modifiedSinceAnalyze,
    boolean neverAnalyzed,
    long bytes,
    long seqScans,
    long seqRowsRead,
    long indexScans) {
  String label() {
    return schema + "." + table;
  }

  /** The best estimate of the table's rows. */
  long rows() {
    return Math.max(live, Math.max(0, Math.round(reltuples)));
  }

  /**
   * The statistics as they will be once PostgreSQL counts the {@code deleted} rows (per table
   * label) that retention deleted: a session's counters reach the shared statistics up to a second
   * after its transaction, so the deletes of a moment ago may be missing from them.
   */
  static List<TableStats> afterDeleting(
      List<TableStats> stats, java.util.Map<String, Long> deleted) {
    List<TableStats> out = new ArrayList<>();
    for (TableStats s : stats) {
      long gone = deleted.getOrDefault(s.label(), 0L);
      long missing = Math.max(0, gone - s.dead());
      out.add(
          missing == 0
              ? s
              : new TableStats(
                  s.schema,
                  s.table,
                  s.reltuples,
                  Math.max(0, s.live - missing),
                  s.dead + missing,
                  s.modifiedSinceAnalyze + missing,
                  s.neverAnalyzed,
                  s.bytes,
                  s.seqScans,
                  s.seqRowsRead,
                  s.indexScans));
    }
    return out;
  }

  static List<TableStats> read(Connection c) throws SQLException {
    List<TableStats> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT s.schemaname, s.relname, c.reltuples, s.n_live_tup, s.n_dead_tup,"
                    + " s.n_mod_since_analyze, s.last_analyze IS NULL AND s.last_autoanalyze IS"
                    + " NULL, pg_table_size(s.relid), COALESCE(s.seq_scan, 0),"
                    + " COALESCE(s.seq_tup_read, 0), COALESCE(s.idx_scan, 0) FROM"
                    + " pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE c.relkind ="
                    + " 'r' ORDER BY 1, 2")) {
      while (rs.next()) {
        out.add(
            new TableStats(
                rs.getString(1),
                rs.getString(2),
                rs.getDouble(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getBoolean(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11)));
      }
    }
    return out;
  }
}
