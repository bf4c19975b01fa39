package dev.ferry.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * {@code ferry.sync_state}: one row per followed SQLite file and target schema, holding the applied
 * position, which is updated in the same PostgreSQL transaction as the changes it covers (so a
 * change's effect and the position that says it was applied commit together or not at all). Created
 * here with IF NOT EXISTS, after the migration pipeline has created the ferry schema.
 *
 * @param state copying, following, frozen, switched
 * @param direction to_postgres or to_sqlite
 * @param appliedSeq the last applied changelog position
 * @param applied changes applied so far
 * @param run the initial copy's run (ferry.runs), which fixups and rejects of later changes join
 * @param captureId the id of the SQLite capture this position counts in (null: a row from before
 *     ids were recorded)
 */
record SyncState(
    String state, String direction, long appliedSeq, long applied, UUID run, String captureId) {
  static final String TABLE = "ferry.sync_state";

  static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS ferry.sync_state (source text NOT NULL, target_schema text"
              + " NOT NULL, state text NOT NULL, direction text NOT NULL DEFAULT 'to_postgres',"
              + " applied_seq bigint NOT NULL, applied bigint NOT NULL DEFAULT 0, run_id uuid NOT"
              + " NULL, started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT"
              + " NULL DEFAULT now(), switched_at timestamptz, PRIMARY KEY (source, target_schema))");
      // which capture the position counts in: a capture installed again restarts its sequence
      st.execute("ALTER TABLE ferry.sync_state ADD COLUMN IF NOT EXISTS capture_id text");
    }
  }

  /** The row, or null when the file is not followed into this schema (or ferry is absent). */
  static SyncState read(Connection c, String source, String schema, boolean forUpdate)
      throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('ferry.sync_state') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return null;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, direction, applied_seq, applied, run_id, to_jsonb(s) ->> 'capture_id'"
                + " FROM ferry.sync_state s WHERE"
                + " source = ? AND target_schema = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      ps.setString(1, source);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new SyncState(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getObject(5, UUID.class),
                rs.getString(6))
            : null;
      }
    }
  }

  static void insert(
      Connection c, String source, String schema, long seq, UUID run, String captureId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.sync_state (source, target_schema, state, applied_seq, run_id,"
                + " capture_id) VALUES (?, ?, 'following', ?, ?, ?) ON CONFLICT (source,"
                + " target_schema) DO NOTHING")) {
      ps.setString(1, source);
      ps.setString(2, schema);
      ps.setLong(3, seq);
      ps.setObject(4, run);
      ps.setString(5, captureId);
      ps.executeUpdate();
    }
  }

  static void advance(Connection c, String source, String schema, long seq, long count)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ferry.sync_state SET applied_seq = ?, applied = applied + ?, updated_at = now()"
                + " WHERE source = ? AND target_schema = ?")) {
      ps.setLong(1, seq);
      ps.setLong(2, count);
      ps.setString(3, source);
      ps.setString(4, schema);
      ps.executeUpdate();
    }
  }

  static void setState(Connection c, String source, String schema, String state, String direction)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ferry.sync_state SET state = ?, direction = ?, updated_at = now(),"
                + " switched_at = CASE WHEN ? = 'switched' THEN now() ELSE switched_at END WHERE"
                + " source = ? AND target_schema = ?")) {
      ps.setString(1, state);
      ps.setString(2, direction);
      ps.setString(3, state);
      ps.setString(4, source);
      ps.setString(5, schema);
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, String source, String schema) throws SQLException {
    if (!SyncLag.deleteRows(c, "sync_state", source, schema)) {
      return;
    }
    try (PreparedStatement ps = // batches a killed follower left
        c.prepareStatement("DELETE FROM ferry.runs WHERE source = ? AND target_schema = ?")) {
      ps.setString(1, source);
      ps.setString(2, Applier.STAGING);
      ps.executeUpdate();
    }
    SyncLag.delete(c, source, schema); // the lag series goes with the state
  }
}
