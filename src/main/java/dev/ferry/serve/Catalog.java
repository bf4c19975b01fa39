package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The tables and views the explorer serves, read from PostgreSQL's catalog: every identifier a
 * request names is looked up here, so no name from a URL ever reaches SQL unchecked. Reloaded when
 * a request names a table it does not know (at most every few seconds).
 */
final class Catalog {
  record Column(String name, String type, boolean notNull) {
    boolean jsonb() {
      return type.equals("jsonb") || type.equals("json");
    }

    boolean textual() {
      return type.equals("text") || type.startsWith("character");
    }
  }

  record ForeignKey(
      String name,
      List<String> columns,
      String refSchema,
      String refTable,
      List<String> refColumns) {}

  /**
   * @param kind table or view
   * @param rowCount the count shown
   * @param countSource "migration" (exact when the run finished), "estimate" (statistics) or
   *     "exact"
   * @param verdict the last run's verdict for this table, or null
   */
  record Table(
      String schema,
      String name,
      String kind,
      List<Column> columns,
      List<String> primaryKey,
      List<ForeignKey> foreignKeys,
      List<String> indexes,
      long rowCount,
      String countSource,
      String verdict,
      String runId) {
    Column column(String name) {
      for (Column c : columns) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      return null;
    }

    String qualified() {
      return SqlText.qualified(schema, name);
    }

    /** Every column, quoted, in table order. */
    String columnList() {
      return String.join(", ", columns.stream().map(c -> SqlText.ident(c.name())).toList());
    }
  }

  private static final long RELOAD_MILLIS = 3_000;
  private final DataSource db;
  private volatile Map<String, Table> tables = Map.of();
  private volatile long loadedAt;

  Catalog(DataSource db) {
    this.db = db;
    reload();
  }

  List<Table> tables() {
    return List.copyOf(tables.values());
  }

  /** The table, or null (after a reload, when the last was a while ago). */
  Table find(String schema, String name) {
    Table t = tables.get(schema + "." + name);
    if (t == null && System.currentTimeMillis() - loadedAt > RELOAD_MILLIS) {
      reload();
      t = tables.get(schema + "." + name);
    }
    return t;
  }

  /** The table, or NOT_FOUND naming it. */
  Table table(String schema, String name) {
    Table t = find(schema, name);
    if (t == null) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "no table or view " + schema + "." + name + " (GET /api/tables lists them)");
    }
    return t;
  }

  /** Tables that reference {@code t} through a foreign key. */
  List<Map.Entry<Table, ForeignKey>> referencing(Table t) {
    List<Map.Entry<Table, ForeignKey>> out = new ArrayList<>();
    for (Table other : tables.values()) {
      for (ForeignKey fk : other.foreignKeys()) {
        if (fk.refSchema().equals(t.schema()) && fk.refTable().equals(t.name())) {
          out.add(Map.entry(other, fk));
        }
      }
    }
    return out;
  }

  synchronized void reload() {
    Map<String, Table> next = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        Statement st = c.createStatement()) {
      Map<String, List<Column>> columns = columns(st);
      Map<String, List<String>> keys = primaryKeys(st);
      Map<String, List<ForeignKey>> fks = foreignKeys(st);
      Map<String, List<String>> indexes = indexes(st);
      Map<String, String[]> evidence = evidence(c);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT n.nspname, c.relname, c.relkind, c.reltuples::bigint FROM pg_class c JOIN"
                  + " pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v',"
                  + " 'm') AND "
                  + USER_SCHEMAS
                  + " ORDER BY n.nspname, c.relname")) {
        while (rs.next()) {
          String key = rs.getString(1) + "." + rs.getString(2);
          boolean view = rs.getString(3).equals("v");
          long estimate = rs.getLong(4);
          String[] ev = evidence.get(key);
          long count = estimate;
          String source = "estimate";
          if (ev != null && ev[0] != null) {
            count = Long.parseLong(ev[0]);
            source = "migration";
          } else if (view || estimate < 0) {
            count = -1;
            source = "unknown";
          }
          next.put(
              key,
              new Table(
                  rs.getString(1),
                  rs.getString(2),
                  view ? "view" : "table",
                  List.copyOf(columns.getOrDefault(key, List.of())),
                  List.copyOf(keys.getOrDefault(key, List.of())),
                  List.copyOf(fks.getOrDefault(key, List.of())),
                  List.copyOf(indexes.getOrDefault(key, List.of())),
                  count,
                  source,
                  ev == null ? null : ev[1],
                  ev == null ? null : ev[2]));
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot read the catalog: " + e.getMessage(), e);
    }
    tables = next;
    loadedAt = System.currentTimeMillis();
  }

  private static Map<String, List<Column>> columns(Statement st) throws SQLException {
    Map<String, List<Column>> columns = new LinkedHashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
                + " a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND NOT"
                + " a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND "
                + USER_SCHEMAS
                + " ORDER BY n.nspname, c.relname, a.attnum")) {
      while (rs.next()) {
        columns
            .computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
            .add(new Column(rs.getString(3), rs.getString(4), rs.getBoolean(5)));
      }
    }
    return columns;
  }

  private static Map<String, List<String>> primaryKeys(Statement st) throws SQLException {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT n.nspname, c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid ="
                + " i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL"
                + " unnest(i.indkey) WITH ORDINALITY k(attnum, pos) JOIN pg_attribute a ON"
                + " a.attrelid = c.oid AND a.attnum = k.attnum WHERE i.indisprimary AND "
                + USER_SCHEMAS
                + " ORDER BY n.nspname, c.relname, k.pos")) {
      while (rs.next()) {
        keys.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
            .add(rs.getString(3));
      }
    }
    return keys;
  }

  private static Map<String, List<ForeignKey>> foreignKeys(Statement st) throws SQLException {
    Map<String, List<ForeignKey>> fks = new LinkedHashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT n.nspname, c.relname, con.conname, rn.nspname, rc.relname, (SELECT"
                + " array_agg(a.attname ORDER BY k.pos) FROM unnest(con.conkey) WITH ORDINALITY"
                + " k(attnum, pos) JOIN pg_attribute a ON a.attrelid = con.conrelid AND"
                + " a.attnum = k.attnum), (SELECT array_agg(a.attname ORDER BY k.pos) FROM"
                + " unnest(con.confkey) WITH ORDINALITY k(attnum, pos) JOIN pg_attribute a ON"
                + " a.attrelid = con.confrelid AND a.attnum = k.attnum) FROM pg_constraint con"
                + " JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid ="
                + " c.relnamespace JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace"
                + " rn ON rn.oid = rc.relnamespace WHERE con.contype = 'f' AND "
                + USER_SCHEMAS)) {
      while (rs.next()) {
        fks.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
            .add(
                new ForeignKey(
                    rs.getString(3),
                    List.of((String[]) rs.getArray(6).getArray()),
                    rs.getString(4),
                    rs.getString(5),
                    List.of((String[]) rs.getArray(7).getArray())));
      }
    }
    return fks;
  }

  private static Map<String, List<String>> indexes(Statement st) throws SQLException {
    Map<String, List<String>> indexes = new LinkedHashMap<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT schemaname, tablename, indexdef FROM pg_indexes n WHERE "
                + USER_SCHEMAS.replace("n.nspname", "n.schemaname")
                + " ORDER BY indexname")) {
      while (rs.next()) {
        indexes
            .computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>())
            .add(rs.getString(3));
      }
    }
    return indexes;
  }

  static final String USER_SCHEMAS =
      "n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry') AND n.nspname NOT LIKE"
          + " 'pg\\_%'";

  /** target table → [rows at migration, verdict, run id] from the latest run that loaded it. */
  private static Map<String, String[]> evidence(Connection c) throws SQLException {
    Map<String, String[]> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet has = st.executeQuery("SELECT to_regclass('ferry.table_results') IS NOT NULL")) {
      has.next();
      if (!has.getBoolean(1)) {
        return out;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT ON (r.target_table) r.target_table, r.rows_in_target, r.verdict,"
                    + " r.run_id FROM ferry.table_results r JOIN ferry.runs u USING (run_id) ORDER"
                    + " BY r.target_table, u.started_at DESC")) {
      while (rs.next()) {
        out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
      }
    }
    return out;
  }
}
