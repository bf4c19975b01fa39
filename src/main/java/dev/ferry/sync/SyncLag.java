package dev.ferry.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code ferry.sync_lag}: the follower's lag, backlog and applied count over time, so the explorer
 * (which may not import this package) can chart them from PostgreSQL. One row per source and target
 * schema at most every {@link #EVERY_MS} (on the follower's status tick, never per change); each
 * write also removes that sync's rows older than {@link #WINDOW}, so the series stays bounded
 * (about 86,400 rows per sync). {@code ferry sync stop} removes a sync's rows with its state.
 * Created here with IF NOT EXISTS, like {@code ferry.sync_state}.
 */
final class SyncLag {
  static final long EVERY_MS = 1000;

  /** How far back the series reaches (a PostgreSQL interval). */
  static final String WINDOW = "24 hours";

  private SyncLag() {}

  static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS ferry.sync_lag (source text NOT NULL, target_schema text NOT"
              + " NULL, at timestamptz NOT NULL DEFAULT clock_timestamp(), direction text NOT NULL,"
              + " lag_ms bigint NOT NULL, backlog bigint NOT NULL, applied bigint NOT NULL)");
      st.execute(
          "CREATE INDEX IF NOT EXISTS sync_lag_source_at ON ferry.sync_lag (source,"
              + " target_schema, at)");
    }
  }

  /** One point of the series; the same statement prunes this sync's points past the window. */
  static void record(
      Connection c,
      String source,
      String schema,
      String direction,
      long lagMs,
      long backlog,
      long applied)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH gone AS (DELETE FROM ferry.sync_lag WHERE source = ? AND target_schema = ? AND"
                + " at < clock_timestamp() - interval '"
                + WINDOW
                + "') INSERT INTO ferry.sync_lag (source, target_schema, direction, lag_ms,"
                + " backlog, applied) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, source);
      ps.setString(2, schema);
      ps.setString(3, source);
      ps.setString(4, schema);
      ps.setString(5, direction);
      ps.setLong(6, Math.max(0, lagMs));
      ps.setLong(7, Math.max(0, backlog));
      ps.setLong(8, applied);
      ps.executeUpdate();
    }
  }

  /** Removes a sync's series (sync stop, or a start over). */
  static void delete(Connection c, String source, String schema) throws SQLException {
    deleteRows(c, "sync_lag", source, schema);
  }

  /** Deletes a sync's rows from {@code ferry.TABLE}; false when that table does not exist. */
  static boolean deleteRows(Connection c, String table, String source, String schema)
      throws SQLException {
    String qualified = dev.ferry.sql.SqlText.qualified("ferry", table);
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT to_regclass("
                    + dev.ferry.sql.SqlText.literal(qualified)
                    + ") IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return false;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM " + qualified + " WHERE source = ? AND target_schema = ?")) {
      ps.setString(1, source);
      ps.setString(2, schema);
      ps.executeUpdate();
    }
    return true;
  }
}
