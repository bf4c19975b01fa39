package dev.ferry.audit;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three audited writes. Each is one statement whose data-modifying CTE changes the rows and
 * whose outer INSERT records them in ferry.audit_rows (key, values before and after as jsonb), so
 * the record cannot miss a row the change touched nor hold one it did not.
 */
final class Writes {
  static final int MAX_INSERT_ROWS = 1_000;

  private Writes() {}

  static AuditLog.Change update(
      Connection c, String who, TableShape t, AuditLog.Where where, Map<String, String> values)
      throws SQLException {
    if (values.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE, "give the new values as a JSON object, e.g. {\"column\": \"value\"}");
    }
    List<String> sets = new ArrayList<>();
    List<Object> params = new ArrayList<>(where.params());
    for (Map.Entry<String, String> v : values.entrySet()) {
      TableShape.Col col = writable(t, v.getKey());
      if (t.key().contains(col.name())) {
        throw new FerryException(
            ErrorCode.USAGE,
            col.name()
                + " is part of the primary key of "
                + t.label()
                + ": an update never changes a key (delete the row and insert it anew)");
      }
      sets.add(SqlText.ident(col.name()) + " = CAST(? AS " + col.type() + ")");
      params.add(v.getValue());
    }
    long id = AuditLog.header(c, who, "update", t, where.described(), values, null, null);
    String sql =
        "WITH o AS (SELECT "
            + t.keyColumns("x")
            + ", to_jsonb(x) AS \"__ferry_old\" FROM "
            + t.qualified()
            + " x WHERE "
            + where.sql()
            + " FOR UPDATE), u AS (UPDATE "
            + t.qualified()
            + " t SET "
            + String.join(", ", sets)
            + " FROM o WHERE "
            + t.keyEquals("t", "o")
            + " RETURNING "
            + t.keyColumns("t")
            + ", to_jsonb(t) AS \"__ferry_new\") INSERT INTO ferry.audit_rows (audit_id, row_key,"
            + " old_row, new_row) SELECT ?, "
            + t.keyObject("o")
            + ", o.\"__ferry_old\", u.\"__ferry_new\" FROM o JOIN u ON "
            + t.keyEquals("o", "u");
    return run(c, id, sql, params);
  }

  static AuditLog.Change delete(
      Connection c, String who, TableShape t, AuditLog.Where where, String reason)
      throws SQLException {
    long id = AuditLog.header(c, who, "delete", t, where.described(), null, reason, null);
    String sql =
        "WITH d AS (DELETE FROM "
            + t.qualified()
            + " t WHERE "
            + where.sql()
            + " RETURNING "
            + t.keyColumns("t")
            + ", to_jsonb(t) AS \"__ferry_old\") INSERT INTO ferry.audit_rows (audit_id, row_key,"
            + " old_row) SELECT ?, "
            + t.keyObject("d")
            + ", d.\"__ferry_old\" FROM d";
    return run(c, id, sql, new ArrayList<>(where.params()));
  }

  static AuditLog.Change insert(
      Connection c, String who, TableShape t, List<Map<String, String>> rows) throws SQLException {
    if (rows.isEmpty() || rows.size() > MAX_INSERT_ROWS) {
      throw new FerryException(
          ErrorCode.USAGE,
          "give one row as a JSON object, or 1 to " + MAX_INSERT_ROWS + " rows as an array");
    }
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, String> r : rows) {
      names.addAll(r.keySet());
    }
    List<TableShape.Col> cols = new ArrayList<>();
    for (String n : names) {
      cols.add(writable(t, n));
    }
    if (cols.isEmpty()) {
      throw new FerryException(ErrorCode.USAGE, "give at least one column's value");
    }
    List<Object> params = new ArrayList<>();
    List<String> tuples = new ArrayList<>();
    for (Map<String, String> r : rows) {
      List<String> v = new ArrayList<>();
      for (TableShape.Col col : cols) {
        if (r.containsKey(col.name())) {
          v.add("CAST(? AS " + col.type() + ")");
          params.add(r.get(col.name()));
        } else {
          v.add("DEFAULT");
        }
      }
      tuples.add("(" + String.join(", ", v) + ")");
    }
    Map<String, String> recorded = rows.size() == 1 ? rows.get(0) : new LinkedHashMap<>();
    long id = AuditLog.header(c, who, "insert", t, Map.of(), recorded, null, null);
    String sql =
        "WITH i AS (INSERT INTO "
            + t.qualified()
            + " AS t ("
            + String.join(", ", cols.stream().map(x -> SqlText.ident(x.name())).toList())
            + ") VALUES "
            + String.join(", ", tuples)
            + " RETURNING "
            + t.keyColumns("t")
            + ", to_jsonb(t) AS \"__ferry_new\") INSERT INTO ferry.audit_rows (audit_id, row_key,"
            + " new_row) SELECT ?, "
            + t.keyObject("i")
            + ", i.\"__ferry_new\" FROM i";
    return run(c, id, sql, params);
  }

  /** A column a request may set: one of the table's, not computed by PostgreSQL. */
  static TableShape.Col writable(TableShape t, String name) {
    TableShape.Col col = t.column(name);
    if (col == null) {
      throw new FerryException(
          ErrorCode.USAGE,
          "no column '"
              + (name.length() > 60 ? name.substring(0, 60) + "…" : name)
              + "' in "
              + t.label()
              + " (columns: "
              + String.join(", ", t.columns().stream().map(TableShape.Col::name).toList())
              + ")");
    }
    if (col.generated()) {
      throw new FerryException(
          ErrorCode.USAGE,
          col.name()
              + " of "
              + t.label()
              + " is generated: PostgreSQL computes it, nobody sets it");
    }
    if (col.identityAlways()) {
      throw new FerryException(
          ErrorCode.USAGE,
          col.name()
              + " of "
              + t.label()
              + " is GENERATED ALWAYS AS IDENTITY: PostgreSQL numbers it, leave it out");
    }
    return col;
  }

  /** Runs {@code sql} with {@code params} then the entry's id as its last parameter. */
  static AuditLog.Change run(Connection c, long id, String sql, List<Object> params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (Object p : params) {
        if (p == null) {
          ps.setNull(i++, Types.VARCHAR);
        } else {
          ps.setObject(i++, p);
        }
      }
      ps.setLong(i, id);
      long n = ps.executeLargeUpdate();
      AuditLog.counted(c, id, n);
      return new AuditLog.Change(id, n);
    }
  }
}
