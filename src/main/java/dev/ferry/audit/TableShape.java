package dev.ferry.audit;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as a write needs it, read from PostgreSQL's catalog in the write's own transaction: its
 * columns with their types, which of them PostgreSQL computes (generated) or numbers itself
 * (identity ALWAYS), and its primary key, without which no row can be named and no change undone.
 */
record TableShape(String schema, String name, List<Col> columns, List<String> key) {
  record Col(String name, String type, boolean generated, boolean identityAlways) {}

  String qualified() {
    return SqlText.qualified(schema, name);
  }

  String label() {
    return schema + "." + name;
  }

  Col column(String n) {
    for (Col c : columns) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    return null;
  }

  /** The table, or NOT_FOUND; a table without a primary key is refused with why. */
  static TableShape read(Connection c, String schema, String name) throws SQLException {
    List<Col> columns = new ArrayList<>();
    boolean table = false;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '',"
                + " a.attidentity = 'a', c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid"
                + " = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
                + " AND NOT a.attisdropped WHERE n.nspname = ? AND c.relname = ? ORDER BY"
                + " a.attnum")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(
              new Col(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
          String kind = rs.getString(5);
          table = kind.equals("r") || kind.equals("p");
        }
      }
    }
    if (columns.isEmpty()) {
      throw new FerryException(
          ErrorCode.NOT_FOUND, "no table " + schema + "." + name + " (GET /api/tables lists them)");
    }
    if (!table) {
      throw new FerryException(
          ErrorCode.WRITE_DISABLED,
          schema + "." + name + " is not a table: ferry writes only to tables");
    }
    List<String> key = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN"
                + " pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL unnest(i.indkey)"
                + " WITH ORDINALITY k(attnum, pos) JOIN pg_attribute a ON a.attrelid = c.oid AND"
                + " a.attnum = k.attnum WHERE i.indisprimary AND n.nspname = ? AND c.relname = ?"
                + " ORDER BY k.pos")) {
      ps.setString(1, schema);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          key.add(rs.getString(1));
        }
      }
    }
    if (key.isEmpty()) {
      throw new FerryException(
          ErrorCode.WRITE_DISABLED,
          schema
              + "."
              + name
              + " has no primary key: ferry writes only rows it can name by key, so that every"
              + " change can be undone (ALTER TABLE … ADD PRIMARY KEY gives it one)");
    }
    return new TableShape(schema, name, List.copyOf(columns), List.copyOf(key));
  }

  /** {@code a.k1 = b.k1 AND …} over the key. */
  String keyEquals(String a, String b) {
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      parts.add(a + "." + SqlText.ident(k) + " = " + b + "." + SqlText.ident(k));
    }
    return String.join(" AND ", parts);
  }

  /** {@code t.k1 = CAST(r.row_key ->> 'k1' AS type) AND …}: a row named by its recorded key. */
  String keyFromJson(String t, String rowKey) {
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      parts.add(
          t
              + "."
              + SqlText.ident(k)
              + " = CAST("
              + rowKey
              + " ->> "
              + SqlText.literal(k)
              + " AS "
              + column(k).type()
              + ")");
    }
    return String.join(" AND ", parts);
  }

  /** {@code jsonb_build_object('k1', a.k1, …)}: the key as recorded. */
  String keyObject(String a) {
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      parts.add(SqlText.literal(k) + ", " + a + "." + SqlText.ident(k));
    }
    return "jsonb_build_object(" + String.join(", ", parts) + ")";
  }

  /** {@code a.k1, a.k2}. */
  String keyColumns(String a) {
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      parts.add(a + "." + SqlText.ident(k));
    }
    return String.join(", ", parts);
  }
}
