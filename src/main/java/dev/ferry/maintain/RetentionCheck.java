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
 * when its table is a table with a primary key that this role may delete from, no foreign key,
 * inheritance child or partition, DELETE trigger or rule would carry the delete into rows
 * ferry.audit cannot record, and its column is a timestamptz, timestamp or date (domains over them
 * too). Epoch numbers are refused: seconds and milliseconds look alike, and a wrong guess deletes
 * everything.
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
    Relation rel = relation(c, r);
    if (rel == null) {
      return "no table " + r.label() + similar(c, r.table());
    }
    if (rel.kind().equals("p")) {
      return r.label()
          + " is partitioned (partitions: "
          + String.join(", ", children(c, rel.oid()))
          + "): a DELETE on it deletes rows of its partitions, so write one rule per partition"
          + " (or drop old partitions: ALTER TABLE … DETACH PARTITION, then DROP TABLE)";
    }
    if (!rel.kind().equals("r")) {
      return r.label()
          + " is not a table (a view or another relation): retention deletes rows"
          + " of tables only";
    }
    List<String> types =
        strings(
            c,
            "SELECT format_type(COALESCE(NULLIF(t.typbasetype, 0), t.oid), NULL) FROM pg_attribute"
                + " a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ? AND a.attname = ?"
                + " AND a.attnum > 0 AND NOT a.attisdropped",
            rel.oid(),
            r.column());
    if (types.isEmpty()) {
      return "no column " + r.column() + " in " + r.label() + timeColumns(c, rel.oid());
    }
    String type = types.get(0);
    String base = timeType(type);
    if (base == null) {
      return notATime(c, r, rel.oid(), type);
    }
    List<String> key = primaryKey(c, rel.oid());
    String refusal = deleteProblem(c, r, rel, key);
    if (refusal != null) {
      return refusal;
    }
    ok.add(new RetentionTarget(r, r.schemaOrDefault(), r.table(), r.column(), base, key));
    return null;
  }

  /** A relation of the catalog: its oid, relkind, and whether this role may delete from it. */
  private record Relation(long oid, String kind, boolean mayDelete) {}

  /** The relation a rule names, or null. */
  private static Relation relation(Connection c, RetentionRule r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.oid, c.relkind, has_table_privilege(c.oid, 'DELETE') FROM pg_class c JOIN"
                + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname ="
                + " ?")) {
      ps.setString(1, r.schemaOrDefault());
      ps.setString(2, r.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Relation(rs.getLong(1), rs.getString(2), rs.getBoolean(3)) : null;
      }
    }
  }

  /** timestamptz, timestamp or date for a column of that (base) type, else null. */
  private static String timeType(String formatted) {
    return switch (formatted) {
      case "timestamp with time zone" -> "timestamptz";
      case "timestamp without time zone" -> "timestamp";
      case "date" -> "date";
      default -> null;
    };
  }

  private static String notATime(Connection c, RetentionRule r, long oid, String type)
      throws SQLException {
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

  /**
   * Why deleting from the table could not be recorded row by row in ferry.audit and undone, or
   * null: no primary key, no DELETE privilege, or a delete that reaches rows of other tables
   * (cascading foreign keys, inheritance children, DELETE triggers or rules).
   */
  private static String deleteProblem(Connection c, RetentionRule r, Relation rel, List<String> key)
      throws SQLException {
    if (key.isEmpty()) {
      return r.label()
          + " has no primary key: retention records every deleted row by key in ferry.audit so"
          + " it can be undone (ALTER TABLE "
          + r.label()
          + " ADD PRIMARY KEY (…) gives it one)";
    }
    if (!rel.mayDelete()) {
      return "this role may not delete from "
          + r.label()
          + " (GRANT DELETE ON "
          + r.label()
          + " TO …)";
    }
    List<String> cascade = cascades(c, rel.oid());
    if (!cascade.isEmpty()) {
      return "deleting rows of "
          + r.label()
          + " would also change rows of "
          + String.join(", ", cascade)
          + " through ON DELETE rules, which ferry.audit would not record and an undo could not"
          + " restore; remove the rule, or delete those rows yourself first";
    }
    List<String> children = children(c, rel.oid());
    if (!children.isEmpty()) {
      return r.label()
          + " has inheritance children ("
          + String.join(", ", children)
          + "): a DELETE on it also deletes their rows, which ferry.audit would not record;"
          + " write one rule per child table instead";
    }
    return sideEffectProblem(c, r, rel.oid());
  }

  /** The table's own enabled DELETE triggers and rules: what they do elsewhere is unaudited. */
  private static String sideEffectProblem(Connection c, RetentionRule r, long oid)
      throws SQLException {
    List<String> triggers =
        strings(
            c,
            "SELECT tgname FROM pg_trigger WHERE tgrelid = ? AND NOT tgisinternal AND tgtype & 8"
                + " <> 0 AND tgenabled <> 'D' ORDER BY 1",
            oid);
    List<String> rules =
        strings(
            c,
            "SELECT rulename FROM pg_rewrite WHERE ev_class = ? AND ev_type = '4' AND ev_enabled"
                + " <> 'D' ORDER BY 1",
            oid);
    if (triggers.isEmpty() && rules.isEmpty()) {
      return null;
    }
    return r.label()
        + " has "
        + (triggers.isEmpty() ? "" : "DELETE triggers (" + String.join(", ", triggers) + ")")
        + (triggers.isEmpty() || rules.isEmpty() ? "" : " and ")
        + (rules.isEmpty() ? "" : "DELETE rules (" + String.join(", ", rules) + ")")
        + ": what they change elsewhere ferry.audit would not record and an undo could not"
        + " restore; delete these rows with your own job, or drop or disable them (ALTER TABLE "
        + r.label()
        + " DISABLE TRIGGER …, ALTER TABLE … DISABLE RULE …) if they may be skipped";
  }

  /** The inheritance children or partitions of a table. */
  private static List<String> children(Connection c, long oid) throws SQLException {
    return strings(
        c, "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = ? ORDER BY 1", oid);
  }

  /** " (did you mean app.x?)" for a table of that name elsewhere or in another case, or "". */
  private static String similar(Connection c, String table) throws SQLException {
    List<String> names =
        strings(
            c,
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                + " c.relnamespace WHERE lower(c.relname) = lower(?) AND c.relkind IN ('r', 'p')"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT"
                + " 5",
            table);
    return names.isEmpty()
        ? " (write schema.table for a table outside public)"
        : " (did you mean " + String.join(" or ", names) + "?)";
  }

  /** " (its time columns: a, b)" or " (it has no time column)". */
  private static String timeColumns(Connection c, long oid) throws SQLException {
    List<String> names =
        strings(
            c,
            "SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE"
                + " a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND"
                + " COALESCE(NULLIF(t.typbasetype, 0), t.oid) IN ('timestamptz'::regtype,"
                + " 'timestamp'::regtype, 'date'::regtype) ORDER BY a.attnum",
            oid);
    return names.isEmpty()
        ? " (the table has no time column)"
        : " (its time columns: " + String.join(", ", names) + ")";
  }

  private static List<String> primaryKey(Connection c, long oid) throws SQLException {
    return strings(
        c,
        "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY"
            + " k(attnum, pos) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum ="
            + " k.attnum WHERE i.indisprimary AND i.indrelid = ? ORDER BY k.pos",
        oid);
  }

  /** The tables whose rows a delete here would change (CASCADE, SET NULL, SET DEFAULT). */
  private static List<String> cascades(Connection c, long oid) throws SQLException {
    return strings(
        c,
        "SELECT conrelid::regclass::text || ' (' || conname || ')' FROM pg_constraint WHERE"
            + " contype = 'f' AND confrelid = ? AND confdeltype IN ('c', 'n', 'd') ORDER BY 1",
        oid);
  }

  /** The first column of every row {@code sql} returns for {@code params} (a long or a string). */
  private static List<String> strings(Connection c, String sql, Object... params)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
