package dev.ferry.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every write ferry makes to the user's tables, recorded in {@code ferry.audit} (who, when, the
 * table, the request's filters and new values) and {@code ferry.audit_rows} (each row's key and its
 * values before and after, as jsonb) by the same statement that changes the rows, so the record and
 * the change commit or roll back together: the package's entry point. {@link #undo} reverses an
 * entry, refusing when the rows changed since; the undo is an entry too.
 *
 * <p>The caller owns the transaction: {@link #begin} opens it read-write (the explorer's sessions
 * are read-only by default), the caller commits, or rolls back for a preview or a refusal. Names
 * reach SQL only through {@link dev.ferry.sql.SqlText} after a catalog lookup; values are bound and
 * cast to the column's type.
 */
public final class AuditLog {
  static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /**
   * What a write did.
   *
   * @param auditId its entry in ferry.audit
   * @param rows how many rows it changed
   */
  public record Change(long auditId, long rows) {}

  /**
   * Which rows a write touches: a condition over the table's own columns (unqualified names, as
   * {@code WHERE} in a one-table statement reads them), its bound values, and how the request put
   * it (recorded as the entry's filters).
   */
  public record Where(String sql, List<Object> params, Map<String, List<String>> described) {
    public Where {
      params = List.copyOf(params);
      described = Map.copyOf(described);
    }
  }

  /**
   * One entry of ferry.audit.
   *
   * @param filters the request's filters as JSON text
   * @param newValues the values a write set or inserted (JSON text), or null
   */
  public record Entry(
      long id,
      String at,
      String who,
      String action,
      String schema,
      String table,
      List<String> keyColumns,
      String filters,
      String newValues,
      long rows,
      String reason,
      Long undoes,
      Long undoneBy) {}

  /**
   * One changed row of an entry (JSON texts).
   *
   * @param oldRow its values before (null for an insert)
   * @param newRow its values after (null for a delete)
   */
  public record RowChange(String key, String oldRow, String newRow) {}

  /**
   * Opens {@code c}'s explicitly read-write transaction (an explorer session defaults to read-only;
   * its statement timeout stays), with timestamps recorded in UTC so that a later comparison of the
   * rows as jsonb reads the same text. Pooled connections get their read-only flag back on close.
   */
  public static void begin(Connection c) throws SQLException {
    c.setReadOnly(false);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET TRANSACTION READ WRITE");
      st.execute("SET LOCAL TimeZone = 'UTC'");
    }
  }

  /** Sets {@code values} (column → text, null for NULL) on the rows {@code where} selects. */
  public static Change update(
      Connection c,
      String who,
      String schema,
      String table,
      Where where,
      Map<String, String> values)
      throws SQLException {
    return Writes.update(c, who, TableShape.read(c, schema, table), where, values);
  }

  /** Deletes the rows {@code where} selects; {@code reason} (or null) is recorded with them. */
  public static Change delete(
      Connection c, String who, String schema, String table, Where where, String reason)
      throws SQLException {
    return Writes.delete(c, who, TableShape.read(c, schema, table), where, reason);
  }

  /** Inserts {@code rows} (column → text; a column a row leaves out gets its default). */
  public static Change insert(
      Connection c, String who, String schema, String table, List<Map<String, String>> rows)
      throws SQLException {
    return Writes.insert(c, who, TableShape.read(c, schema, table), rows);
  }

  /**
   * Reverses entry {@code id} (updates set back, deleted rows inserted again, inserted rows
   * deleted), refusing with CONFLICT, before changing anything, when any of its rows changed since
   * or the entry was undone already; NOT_FOUND when there is no such entry.
   */
  public static Change undo(Connection c, String who, long id) throws SQLException {
    return Undo.undo(c, who, id);
  }

  /**
   * How ferry.audit names the holder of {@code token} in this database: "hmac:" and 16 hex digits
   * of an HMAC-SHA256 under the database's own secret (ferry.audit_key, made on first use), never
   * the token nor a plain hash of it. {@code c} must be able to write ferry.audit_key.
   */
  public static String fingerprint(Connection c, String token) throws SQLException {
    return AuditKey.fingerprint(AuditKey.secret(c), token);
  }

  /** The newest entries, up to {@code limit}, older than {@code before} when it is given. */
  public static List<Entry> list(Connection c, int limit, Long before) throws SQLException {
    if (!present(c)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            ENTRY
                + " WHERE (CAST(? AS bigint) IS NULL OR audit_id < CAST(? AS bigint))"
                + " ORDER BY audit_id DESC LIMIT ?")) {
      if (before == null) {
        ps.setNull(1, Types.BIGINT);
        ps.setNull(2, Types.BIGINT);
      } else {
        ps.setLong(1, before);
        ps.setLong(2, before);
      }
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
    }
    return out;
  }

  /** Entry {@code id}, or null. */
  public static Entry entry(Connection c, long id) throws SQLException {
    if (!present(c)) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement(ENTRY + " WHERE audit_id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? entry(rs) : null;
      }
    }
  }

  /** The first {@code limit} rows entry {@code id} changed, in the order they were recorded. */
  public static List<RowChange> rows(Connection c, long id, int limit) throws SQLException {
    List<RowChange> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT row_key::text, old_row::text, new_row::text FROM ferry.audit_rows WHERE"
                + " audit_id = ? LIMIT ?")) {
      ps.setLong(1, id);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RowChange(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }

  private static final String ENTRY =
      "SELECT audit_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), who,"
          + " action, schema_name, table_name, key_columns, filters::text, new_values::text,"
          + " row_count, reason, undoes, undone_by FROM ferry.audit";

  private static Entry entry(ResultSet rs) throws SQLException {
    long undoes = rs.getLong(12);
    Long u = rs.wasNull() ? null : undoes;
    long undoneBy = rs.getLong(13);
    Long b = rs.wasNull() ? null : undoneBy;
    return new Entry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        List.of((String[]) rs.getArray(7).getArray()),
        rs.getString(8),
        rs.getString(9),
        rs.getLong(10),
        rs.getString(11),
        u,
        b);
  }

  private static boolean present(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('ferry.audit') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Writes the entry's header; its row count is set once the rows are recorded. */
  static long header(
      Connection c,
      String who,
      String action,
      TableShape t,
      Object filters,
      Map<String, String> newValues,
      String reason,
      Long undoes)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.audit (who, action, schema_name, table_name, key_columns, filters,"
                + " new_values, reason, undoes) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS"
                + " jsonb), ?, ?) RETURNING audit_id")) {
      ps.setString(1, who);
      ps.setString(2, action);
      ps.setString(3, t.schema());
      ps.setString(4, t.name());
      ps.setArray(5, c.createArrayOf("text", t.key().toArray()));
      ps.setString(6, JSON.writeValueAsString(filters));
      ps.setString(7, newValues == null ? null : JSON.writeValueAsString(newValues));
      ps.setString(8, reason);
      if (undoes == null) {
        ps.setNull(9, Types.BIGINT);
      } else {
        ps.setLong(9, undoes);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FerryException(ErrorCode.INTERNAL, "cannot record the audit entry", e);
    }
  }

  /** Sets the entry's row count once its rows are recorded. */
  static void counted(Connection c, long id, long rows) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE ferry.audit SET row_count = ? WHERE audit_id = ?")) {
      ps.setLong(1, rows);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** The filters recorded for an undo: which entry it reverses. */
  static ObjectNode undoFilters(long id) {
    return JSON.createObjectNode().put("undo_of", id);
  }
}
