package dev.ferry.maintain;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every retention rule checked against the target's catalog at start, before anything is deleted;
 * all problems are listed at once, each naming the table or column and how to fix it. A rule passes
 * when its table is a table with a primary key that this role may delete from, no foreign key would
 * cascade the delete into rows ferry.audit cannot record, and its column is a timestamptz,
 * timestamp (read as UTC) or date (domains over them too). Epoch numbers are refused: seconds and
 * milliseconds look alike, and a wrong guess deletes everything.
 */
final class RetentionCheck {
  private RetentionCheck() {}

  static List<RetentionTarget> check(Connection c, List<RetentionRule> rules) throws SQLException {
    List<RetentionTarget> ok = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RetentionRule r : rules) {
      String problem = problem(c, r, ok);
      if (problem != null) {
        problems.add(r.where() + problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          (problems.size() == 1 ? "" : problems.size() + " retention rules are wrong: ")
              + String.join("; ", problems)
              + ". Nothing was deleted: fix ferry.yaml's retention: and run ferry maintain again");
    }
    return List.copyOf(ok);
  }

  /** Why {@code r} cannot run, or null after adding its target to {@code ok}. */
  private static String problem(Connection c, RetentionRule r, List<RetentionTarget> ok)
      throws SQLException {
    String schema = r.schemaOrDefault();
    Long oid = null;
    String kind = null;
    boolean mayDelete = false;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.oid, c.relkind, has_table_privilege(c.oid, 'DELETE') FROM pg_class c JOIN"
                + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname ="
                + " ?")) {
      ps.setString(1, schema);
      ps.setString(2, r.table());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          oid = rs.getLong(1);
          kind = rs.getString(2);
          mayDelete = rs.getBoolean(3);
        }
      }
    }
    if (oid == null) {
      return "no table " + r.label() + similar(c, r.table());
    }
    if (!kind.equals("r") && !kind.equals("p")) {
      return r.label()
          + " is not a table (a view or another relation): retention deletes rows"
          + " of tables only";
    }
    String type = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT format_type(COALESCE(NULLIF(t.typbasetype, 0), t.oid), NULL) FROM pg_attribute"
                + " a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ? AND a.attname = ?"
                + " AND a.attnum > 0 AND NOT a.attisdropped")) {
      ps.setLong(1, oid);
      ps.setString(2, r.column());
      try (ResultSet rs = ps.executeQuery()) {
        type = rs.next() ? rs.getString(1) : null;
      }
    }
    if (type == null) {
      return "no column " + r.column() + " in " + r.label() + timeColumns(c, oid);
    }
    String base =
        switch (type) {
          case "timestamp with time zone" -> "timestamptz";
          case "timestamp without time zone" -> "timestamp";
          case "date" -> "date";
          default -> null;
        };
    if (base == null) {
      return r.label()
          + "."
          + r.column()
          + " is "
          + type
          + ", not a time: retention compares timestamptz, timestamp or date columns"
          + (type.matches("bigint|integer|numeric|smallint|double precision|real")
              ? " (epoch numbers are refused, seconds and milliseconds look alike: convert the"
                  + " column, e.g. ALTER TABLE … ALTER COLUMN "
                  + r.column()
                  + " TYPE timestamptz USING to_timestamp("
                  + r.column()
                  + "))"
              : "")
          + timeColumns(c, oid);
    }
    List<String> key = primaryKey(c, oid);
    if (key.isEmpty()) {
      return r.label()
          + " has no primary key: retention records every deleted row by key in ferry.audit so"
          + " it can be undone (ALTER TABLE "
          + r.label()
          + " ADD PRIMARY KEY (…) gives it one)";
    }
    if (!mayDelete) {
      return "this role may not delete from "
          + r.label()
          + " (GRANT DELETE ON "
          + r.label()
          + " TO …)";
    }
    String cascade = cascades(c, oid);
    if (cascade != null) {
      return "deleting rows of "
          + r.label()
          + " would also change rows of "
          + cascade
          + " through ON DELETE rules, which ferry.audit would not record and an undo could not"
          + " restore; remove the rule, or delete those rows yourself first";
    }
    ok.add(new RetentionTarget(r, schema, r.table(), r.column(), base, key));
    return null;
  }

  /** " (did you mean app.x?)" for a table of that name elsewhere or in another case, or "". */
  private static String similar(Connection c, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                + " c.relnamespace WHERE lower(c.relname) = lower(?) AND c.relkind IN ('r', 'p')"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT"
                + " 5")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names.isEmpty()
        ? " (write schema.table for a table outside public)"
        : " (did you mean " + String.join(" or ", names) + "?)";
  }

  /** " (its time columns: a, b)" or " (it has no time column)". */
  private static String timeColumns(Connection c, long oid) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE"
                + " a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND"
                + " COALESCE(NULLIF(t.typbasetype, 0), t.oid) IN ('timestamptz'::regtype,"
                + " 'timestamp'::regtype, 'date'::regtype) ORDER BY a.attnum")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names.isEmpty()
        ? " (the table has no time column)"
        : " (its time columns: " + String.join(", ", names) + ")";
  }

  private static List<String> primaryKey(Connection c, long oid) throws SQLException {
    List<String> key = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY"
                + " k(attnum, pos) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum ="
                + " k.attnum WHERE i.indisprimary AND i.indrelid = ? ORDER BY k.pos")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          key.add(rs.getString(1));
        }
      }
    }
    return key;
  }

  /** The tables whose rows a delete here would change (CASCADE, SET NULL, SET DEFAULT), or null. */
  private static String cascades(Connection c, long oid) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT conrelid::regclass::text || ' (' || conname || ')' FROM pg_constraint WHERE"
                + " contype = 'f' AND confrelid = ? AND confdeltype IN ('c', 'n', 'd') ORDER BY"
                + " 1")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }
}
