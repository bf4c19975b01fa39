package dev.ferry.maintain;

import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The report part of {@code ferry maintain}: what a DBA would look at next, each finding with the
 * SQL that fixes it. Ferry never runs that SQL: dropping or building an index, or rewriting a
 * table, is the user's call. Ferry's own schema ({@code ferry}) is left out.
 *
 * <ul>
 *   <li>{@code bloat}: tables whose dead rows are at least {@value #BLOAT_MIN_DEAD} and {@value
 *       #BLOAT_SHARE} of all rows (from pg_stat, before this run's VACUUM), with the space they are
 *       estimated to waste (table size × dead share);
 *   <li>{@code unused_index}: indexes never scanned since the statistics were reset ({@code
 *       idx_scan = 0}) that enforce nothing (not primary key, unique, exclusion or a constraint's)
 *       and serve no foreign key, with their size;
 *   <li>{@code missing_index}: foreign keys whose columns lead no index, so that every delete or
 *       key update in the referenced table reads the whole referencing table;
 *   <li>{@code seq_scans}: tables of at least {@value #SEQ_MIN_ROWS} rows read whole more often
 *       than through an index.
 * </ul>
 */
final class Findings {
  static final long BLOAT_MIN_DEAD = 1_000;
  static final double BLOAT_SHARE = 0.2;
  static final long SEQ_MIN_ROWS = 100_000;
  static final long SEQ_MIN_SCANS = 100;
  private static final Set<String> LEFT_OUT = Set.of("ferry");

  private Findings() {}

  /**
   * One finding.
   *
   * @param kind bloat, unused_index, missing_index or seq_scans
   * @param object the table or index it is about (schema.name)
   * @param bytes the space concerned (wasted, or the index's size), or -1
   * @param fix the SQL a user would run (ferry does not)
   */
  record Finding(String kind, String object, String detail, long bytes, String fix) {}

  /** Bloat from the statistics read before this run vacuumed; {@code vacuumed}: tables it did. */
  static List<Finding> bloat(List<TableStats> stats, Set<String> vacuumed) {
    List<Finding> out = new ArrayList<>();
    for (TableStats s : stats) {
      if (LEFT_OUT.contains(s.schema())) {
        continue;
      }
      long dead = s.dead();
      long all = s.live() + dead;
      if (dead < BLOAT_MIN_DEAD || dead < BLOAT_SHARE * all) {
        continue;
      }
      long wasted = Math.round((double) s.bytes() * dead / all);
      String name = SqlText.qualified(s.schema(), s.table());
      boolean done = vacuumed.contains(s.label());
      out.add(
          new Finding(
              "bloat",
              s.label(),
              String.format(
                  "%,d dead rows, %s of the table's %,d: about %s of its %s%s",
                  dead,
                  TableUpkeep.percent(dead, all),
                  all,
                  size(wasted),
                  size(s.bytes()),
                  done ? " (vacuumed now: the space is reused for new rows)" : ""),
              wasted,
              done
                  ? "VACUUM FULL "
                      + name
                      + "; -- gives the space back to the OS, but locks the"
                      + " table while it rewrites it (pg_repack does it without the lock)"
                  : "VACUUM (ANALYZE) " + name + ";"));
    }
    return out;
  }

  static List<Finding> unusedIndexes(Connection c) throws SQLException {
    String since = statsSince(c);
    List<Finding> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT s.schemaname, s.indexrelname, s.relname, pg_relation_size(s.indexrelid),"
                    + " pg_get_indexdef(s.indexrelid) FROM pg_stat_user_indexes s JOIN pg_index i"
                    + " ON i.indexrelid = s.indexrelid WHERE s.idx_scan = 0 AND NOT i.indisunique"
                    + " AND NOT i.indisprimary AND NOT i.indisexclusion AND NOT EXISTS (SELECT 1"
                    + " FROM pg_constraint k WHERE k.conindid = s.indexrelid) AND NOT EXISTS"
                    + " (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conrelid ="
                    + " i.indrelid AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] @>"
                    + " f.conkey) ORDER BY 4 DESC, 1, 2")) {
      while (rs.next()) {
        if (LEFT_OUT.contains(rs.getString(1))) {
          continue;
        }
        String index = SqlText.qualified(rs.getString(1), rs.getString(2));
        out.add(
            new Finding(
                "unused_index",
                rs.getString(1) + "." + rs.getString(2),
                String.format(
                    "on %s.%s, %s, never scanned %s (check replicas too: each counts its own)",
                    rs.getString(1), rs.getString(3), size(rs.getLong(4)), since),
                rs.getLong(4),
                "DROP INDEX CONCURRENTLY " + index + "; -- to rebuild it: " + rs.getString(5)));
      }
    }
    return out;
  }

  static List<Finding> missingForeignKeyIndexes(Connection c) throws SQLException {
    List<Finding> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname, t.relname, f.conname, f.confrelid::regclass::text,"
                    + " ARRAY(SELECT a.attname FROM unnest(f.conkey) WITH ORDINALITY k(attnum,"
                    + " pos) JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum ="
                    + " k.attnum ORDER BY k.pos)::text[], pg_table_size(f.conrelid) FROM"
                    + " pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_namespace n"
                    + " ON n.oid = t.relnamespace WHERE f.contype = 'f' AND n.nspname NOT IN"
                    + " ('pg_catalog', 'information_schema') AND NOT EXISTS (SELECT 1 FROM"
                    + " pg_index i WHERE i.indrelid = f.conrelid AND i.indpred IS NULL AND"
                    + " (i.indkey::int2[])[0:cardinality(f.conkey) - 1] @> f.conkey) ORDER BY 6"
                    + " DESC, 1, 2, 3")) {
      while (rs.next()) {
        if (LEFT_OUT.contains(rs.getString(1))) {
          continue;
        }
        List<String> cols = List.of((String[]) rs.getArray(5).getArray());
        String table = SqlText.qualified(rs.getString(1), rs.getString(2));
        out.add(
            new Finding(
                "missing_index",
                rs.getString(1) + "." + rs.getString(2),
                String.format(
                    "foreign key %s (%s) references %s but no index starts with %s: each delete"
                        + " or key change in %s reads all of %s.%s (%s)",
                    rs.getString(3),
                    String.join(", ", cols),
                    rs.getString(4),
                    cols.size() == 1 ? "that column" : "those columns",
                    rs.getString(4),
                    rs.getString(1),
                    rs.getString(2),
                    size(rs.getLong(6))),
                -1,
                "CREATE INDEX CONCURRENTLY ON "
                    + table
                    + " ("
                    + String.join(", ", cols.stream().map(SqlText::ident).toList())
                    + ");"));
      }
    }
    return out;
  }

  /** Big tables read whole more often than through an index. */
  static List<Finding> seqScans(List<TableStats> stats) {
    List<Finding> out = new ArrayList<>();
    for (TableStats s : stats) {
      if (LEFT_OUT.contains(s.schema())
          || s.rows() < SEQ_MIN_ROWS
          || s.seqScans() < SEQ_MIN_SCANS
          || s.seqScans() <= s.indexScans()) {
        continue;
      }
      out.add(
          new Finding(
              "seq_scans",
              s.label(),
              String.format(
                  "%,d rows, read whole %,d times (%,d rows read) against %,d index scans: a"
                      + " frequent query filters on columns no index covers",
                  s.rows(), s.seqScans(), s.seqRowsRead(), s.indexScans()),
              s.bytes(),
              "SELECT query, calls, mean_exec_time FROM pg_stat_statements WHERE query ILIKE "
                  + SqlText.literal("%" + s.table() + "%")
                  + " ORDER BY total_exec_time DESC LIMIT 10; -- needs pg_stat_statements; then"
                  + " CREATE INDEX CONCURRENTLY ON "
                  + SqlText.qualified(s.schema(), s.table())
                  + " (the columns those queries filter on);"));
    }
    return out;
  }

  /** "since 2026-…" (the last statistics reset) or "since the statistics began". */
  private static String statsSince(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT to_char(stats_reset AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"') FROM"
                    + " pg_stat_database WHERE datname = current_database()");
        ResultSet rs = ps.executeQuery()) {
      String at = rs.next() ? rs.getString(1) : null;
      return at == null ? "since the statistics began" : "since the statistics reset at " + at;
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }
}
