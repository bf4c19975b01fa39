package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;
import static dev.ferry.sql.SqlText.literal;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Change capture on PostgreSQL for the way back (after cutover), on a stock server: no extension,
 * no logical decoding (wal_level=replica is enough). Every object lives in the {@code ferry_sync}
 * schema, so {@code sync stop}'s {@code DROP SCHEMA ferry_sync CASCADE} removes them all, the
 * triggers on the migrated tables with their functions:
 *
 * <ul>
 *   <li>{@code ferry_sync.changes(id, xid, tbl, key, at)}: the key of every written row (a JSON
 *       array of the key values), with the writing transaction's id ({@code xid8}). Sequences
 *       commit out of order, so readers take only entries whose transaction is below the current
 *       snapshot's xmin (every one of them has ended), and consume by deleting what they applied,
 *       never by a position;
 *   <li>AFTER INSERT/UPDATE/DELETE row triggers calling {@code ferry_sync.capture()}, which skip
 *       Ferry's own writes ({@code SET ferry.applying = on}: no loop);
 *   <li>after {@code ferry fallback}, BEFORE triggers calling {@code ferry_sync.refuse()}, which
 *       raise an error naming the SQLite file (Ferry's own writes pass).
 * </ul>
 */
final class PgCapture {
  static final String SCHEMA = Applier.STAGING;
  static final String APPLYING = "SET ferry.applying = 'on'";
  private static final String NOT_FERRY =
      "coalesce(current_setting('ferry.applying', true), '') <> 'on'";

  private PgCapture() {}

  /** Creates the changelog and the capture triggers, and removes any refusal (one transaction). */
  static void install(Connection c, List<TablePlan> tables) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + SCHEMA
              + ".changes (id bigserial PRIMARY KEY, xid xid8 NOT NULL DEFAULT"
              + " pg_current_xact_id(), tbl text NOT NULL, key jsonb NOT NULL, at timestamptz NOT"
              + " NULL DEFAULT clock_timestamp())");
      st.execute(
          "CREATE OR REPLACE FUNCTION "
              + SCHEMA
              + ".capture() RETURNS trigger LANGUAGE plpgsql AS $f$ DECLARE r jsonb; k jsonb; c"
              + " text; i int; BEGIN IF NOT ("
              + NOT_FERRY
              + ") THEN RETURN NULL; END IF; FOR i IN 0..1 LOOP IF (i = 0 AND TG_OP <> 'INSERT')"
              + " OR (i = 1 AND TG_OP <> 'DELETE') THEN r := CASE WHEN i = 0 THEN to_jsonb(OLD)"
              + " ELSE to_jsonb(NEW) END; k := '[]'::jsonb; FOREACH c IN ARRAY TG_ARGV[1:] LOOP"
              + " k := k || jsonb_build_array(r -> c); END LOOP; INSERT INTO "
              + SCHEMA
              + ".changes (tbl, key) VALUES (TG_ARGV[0], k); END IF; END LOOP; RETURN NULL;"
              + " END $f$");
      for (TablePlan t : tables) {
        dropRefusal(st, t);
        st.execute("DROP TRIGGER IF EXISTS ferry_sync_capture ON " + t.qualified());
        st.execute(
            "CREATE TRIGGER ferry_sync_capture AFTER INSERT OR UPDATE OR DELETE ON "
                + t.qualified()
                + " FOR EACH ROW EXECUTE FUNCTION "
                + SCHEMA
                + ".capture("
                + literal(t.source().name())
                + keyColumns(t).stream()
                    .map(k -> ", " + literal(k.name()))
                    .collect(Collectors.joining())
                + ")");
      }
    }
  }

  /**
   * After fallback: capture goes, and every migrated table refuses writes naming the SQLite file
   * (Ferry's own writes pass, so following SQLite into PostgreSQL goes on).
   */
  static void refuse(Connection c, List<TablePlan> tables, String message) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE OR REPLACE FUNCTION "
              + SCHEMA
              + ".refuse() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN IF "
              + NOT_FERRY
              + " THEN RAISE EXCEPTION '%', replace(TG_ARGV[0], 'TABLE', TG_TABLE_NAME) USING"
              + " ERRCODE = 'read_only_sql_transaction'; END IF; RETURN CASE WHEN TG_OP ="
              + " 'DELETE' THEN OLD ELSE NEW END; END $f$");
      for (TablePlan t : tables) {
        st.execute("DROP TRIGGER IF EXISTS ferry_sync_capture ON " + t.qualified());
        dropRefusal(st, t);
        st.execute(
            "CREATE TRIGGER ferry_sync_refuse BEFORE INSERT OR UPDATE OR DELETE ON "
                + t.qualified()
                + " FOR EACH ROW EXECUTE FUNCTION "
                + SCHEMA
                + ".refuse("
                + literal(message)
                + ")");
        st.execute(
            "CREATE TRIGGER ferry_sync_refuse_truncate BEFORE TRUNCATE ON "
                + t.qualified()
                + " FOR EACH STATEMENT EXECUTE FUNCTION "
                + SCHEMA
                + ".refuse("
                + literal(message)
                + ")");
      }
      // emptied, not dropped: a running follower may be reading it (DROP would wait for it and
      // then fail its next read); sync stop drops the schema
      st.execute("DELETE FROM " + SCHEMA + ".changes");
    }
  }

  /** Removes the capture triggers and the changelog (a cutover that did not switch). */
  static void uninstall(Connection c, List<TablePlan> tables) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (TablePlan t : tables) {
        st.execute("DROP TRIGGER IF EXISTS ferry_sync_capture ON " + t.qualified());
      }
      st.execute("DROP TABLE IF EXISTS " + SCHEMA + ".changes");
    }
  }

  private static void dropRefusal(Statement st, TablePlan t) throws SQLException {
    st.execute("DROP TRIGGER IF EXISTS ferry_sync_refuse ON " + t.qualified());
    st.execute("DROP TRIGGER IF EXISTS ferry_sync_refuse_truncate ON " + t.qualified());
  }

  static List<ColumnPlan> keyColumns(TablePlan t) {
    return t.loadedColumns().stream().filter(c -> c.source().primaryKeyOrdinal() > 0).toList();
  }

  /** One captured PostgreSQL write: the entry's id, the SQLite table, the key as JSON. */
  record Entry(long id, String table, String key) {}

  /**
   * The next entries of ended transactions only (below the snapshot's xmin: an entry whose
   * transaction still runs, or began before a running one, waits for the next poll).
   */
  static List<Entry> next(Connection c, int limit) throws SQLException {
    List<Entry> out = new ArrayList<>();
    if (!exists(c)) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, tbl, key::text FROM "
                + SCHEMA
                + ".changes WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY id"
                + " LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  /** Entries not yet applied: how many, and when the oldest was written (epoch ms, 0: none). */
  static long[] backlog(Connection c) throws SQLException {
    if (!exists(c)) {
      return new long[] {0, 0};
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), coalesce((extract(epoch FROM min(at)) * 1000)::bigint, 0) FROM "
                    + SCHEMA
                    + ".changes")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /** Removes applied entries (after SQLite committed them: a replay is harmless). */
  static void consumed(Connection c, List<Entry> entries) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + SCHEMA + ".changes WHERE id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("bigint", entries.stream().map(Entry::id).toArray()));
      ps.executeUpdate();
    }
  }

  static boolean exists(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT to_regclass(" + literal(SCHEMA + ".changes") + ") IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  static String quoted(String name) {
    return ident(name);
  }
}
