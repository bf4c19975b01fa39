package dev.ferry.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverses an audit entry in the caller's transaction: an update is set back (only the columns it
 * set), deleted rows are inserted again (generated columns recomputed, identities kept), inserted
 * rows are deleted. Before anything changes, every row must still be as the entry left it (compared
 * as jsonb with the recorded values after, or, for a delete, its key still free); otherwise
 * CONFLICT names the rows that changed. The undo is recorded as an entry of its own action,
 * pointing at the entry it reverses, so an undo can be undone too.
 */
final class Undo {
  private static final int NAMED = 5;

  private Undo() {}

  private record Header(
      String action,
      String schema,
      String table,
      List<String> key,
      Map<String, String> values,
      long rows,
      Long undoneBy) {}

  static AuditLog.Change undo(Connection c, String who, long id) throws SQLException {
    Header h = header(c, id);
    if (h.undoneBy() != null) {
      throw new FerryException(
          ErrorCode.CONFLICT, "audit " + id + " was undone already, by audit " + h.undoneBy());
    }
    TableShape t = TableShape.read(c, h.schema(), h.table());
    if (!t.key().equals(h.key())) {
      throw new FerryException(
          ErrorCode.CONFLICT,
          "the primary key of "
              + t.label()
              + " is ("
              + String.join(", ", t.key())
              + ") now, not ("
              + String.join(", ", h.key())
              + ") as when audit "
              + id
              + " was written: its rows cannot be named; nothing was changed");
    }
    refuseChanged(c, t, h, id);
    String inverse =
        switch (h.action()) {
          case "update" -> "update";
          case "delete" -> "insert";
          default -> "delete";
        };
    long undo =
        AuditLog.header(
            c, who, inverse, t, AuditLog.undoFilters(id), h.values(), "undo of audit " + id, id);
    String sql =
        switch (h.action()) {
          case "update" -> setBack(t, h.values().keySet());
          case "delete" -> insertAgain(t);
          default -> deleteInserted(t);
        };
    long n;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      ps.setLong(2, undo);
      n = ps.executeLargeUpdate();
    }
    if (n != h.rows()) { // a row changed between the check and the change: nothing is kept
      throw new FerryException(
          ErrorCode.CONFLICT,
          "undo of audit "
              + id
              + " refused: "
              + (h.rows() - n)
              + " of its rows changed while it ran; nothing was changed, try again");
    }
    AuditLog.counted(c, undo, n);
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE ferry.audit SET undone_by = ? WHERE audit_id = ?")) {
      ps.setLong(1, undo);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
    return new AuditLog.Change(undo, n);
  }

  private static Header header(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT action, schema_name, table_name, key_columns, new_values::text, row_count,"
                + " undone_by FROM ferry.audit WHERE audit_id = ? FOR UPDATE")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new FerryException(
              ErrorCode.NOT_FOUND, "no audit entry " + id + " (GET /api/audit lists them)");
        }
        String values = rs.getString(5);
        Map<String, String> v =
            values == null
                ? null
                : AuditLog.JSON.readValue(
                    values, new TypeReference<LinkedHashMap<String, String>>() {});
        long undoneBy = rs.getLong(7);
        Long undone = rs.wasNull() ? null : undoneBy;
        return new Header(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            List.of((String[]) rs.getArray(4).getArray()),
            v,
            rs.getLong(6),
            undone);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new FerryException(ErrorCode.INTERNAL, "audit " + id + ": unreadable values", e);
      }
    }
  }

  /** CONFLICT naming the rows that are no longer as the entry left them; nothing when none. */
  private static void refuseChanged(Connection c, TableShape t, Header h, long id)
      throws SQLException {
    boolean deleted = h.action().equals("delete");
    String changed =
        deleted
            ? "t." + SqlText.ident(t.key().get(0)) + " IS NOT NULL"
            : "t." + SqlText.ident(t.key().get(0)) + " IS NULL OR to_jsonb(t) <> r.new_row";
    String sql =
        "SELECT count(*) OVER (), r.row_key::text FROM ferry.audit_rows r LEFT JOIN "
            + t.qualified()
            + " t ON "
            + t.keyFromJson("t", "r.row_key")
            + " WHERE r.audit_id = ? AND ("
            + changed
            + ") LIMIT "
            + NAMED;
    List<String> keys = new ArrayList<>();
    long count = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          count = rs.getLong(1);
          keys.add(rs.getString(2));
        }
      }
    }
    if (count > 0) {
      throw new FerryException(
          ErrorCode.CONFLICT,
          "undo of audit "
              + id
              + " refused: "
              + count
              + " of its "
              + h.rows()
              + " rows "
              + (deleted ? "exist again (keys " : "changed since (keys ")
              + String.join(", ", keys)
              + (count > keys.size() ? ", …" : "")
              + "); nothing was changed. Undo the later changes first, or change the rows by hand");
    }
  }

  /** The update's columns set back from the recorded values before, where the row is unchanged. */
  private static String setBack(TableShape t, Iterable<String> columns) {
    List<String> sets = new ArrayList<>();
    for (String col : columns) {
      sets.add(SqlText.ident(col) + " = p." + SqlText.ident(col));
    }
    return "WITH u AS (UPDATE "
        + t.qualified()
        + " t SET "
        + String.join(", ", sets)
        + " FROM ferry.audit_rows r CROSS JOIN LATERAL jsonb_populate_record(NULL::"
        + t.qualified()
        + ", r.old_row) p WHERE r.audit_id = ? AND "
        + t.keyFromJson("t", "r.row_key")
        + " AND to_jsonb(t) = r.new_row RETURNING r.row_key, r.new_row AS before, to_jsonb(t) AS"
        + " after) INSERT INTO ferry.audit_rows (audit_id, row_key, old_row, new_row) SELECT ?,"
        + " row_key, before, after FROM u";
  }

  /** The deleted rows inserted again as recorded: identities kept, generated columns recomputed. */
  private static String insertAgain(TableShape t) {
    List<String> cols = new ArrayList<>();
    for (TableShape.Col col : t.columns()) {
      if (!col.generated()) {
        cols.add(SqlText.ident(col.name()));
      }
    }
    return "WITH i AS (INSERT INTO "
        + t.qualified()
        + " AS t ("
        + String.join(", ", cols)
        + ") OVERRIDING SYSTEM VALUE SELECT "
        + String.join(", ", cols.stream().map(x -> "p." + x).toList())
        + " FROM ferry.audit_rows r CROSS JOIN LATERAL jsonb_populate_record(NULL::"
        + t.qualified()
        + ", r.old_row) p WHERE r.audit_id = ? ON CONFLICT DO NOTHING RETURNING "
        + t.keyColumns("t")
        + ", to_jsonb(t) AS \"__ferry_new\") INSERT INTO ferry.audit_rows (audit_id, row_key,"
        + " new_row) SELECT ?, "
        + t.keyObject("i")
        + ", i.\"__ferry_new\" FROM i";
  }

  /** The inserted rows deleted, where they are still as inserted. */
  private static String deleteInserted(TableShape t) {
    return "WITH d AS (DELETE FROM "
        + t.qualified()
        + " t USING ferry.audit_rows r WHERE r.audit_id = ? AND "
        + t.keyFromJson("t", "r.row_key")
        + " AND to_jsonb(t) = r.new_row RETURNING r.row_key, to_jsonb(t) AS before) INSERT INTO"
        + " ferry.audit_rows (audit_id, row_key, old_row) SELECT ?, row_key, before FROM d";
  }
}
