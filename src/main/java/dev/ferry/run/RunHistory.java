package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.sql.SqlText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The runs recorded in a target ({@code ferry runs}) and undoing one ({@code ferry rollback}). A
 * rollback removes exactly the tables, views and schema the run created (ferry.objects, written in
 * the same transaction as each object) and nothing else: it refuses, naming them, when any other
 * object depends on them or a later run loaded into them.
 */
public final class RunHistory {
  private final TargetUrl url;
  private final PrintStream out;
  private final Map<String, String> env;

  public RunHistory(String target, Path workDir, Map<String, String> env, PrintStream out) {
    this.url = Targets.resolve(target, workDir, env);
    this.out = out;
    this.env = env;
  }

  /**
   * Prints the runs, oldest first, with what each run's backup copy takes on this machine ("-":
   * none was taken; "removed": pruned or deleted), and the total.
   */
  public int list() {
    try (PostgresTarget target = PostgresTarget.connect(url, 2);
        Connection c = target.dataSource().getConnection();
        Statement st = c.createStatement()) {
      requireFerrySchema(c);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT r.run_id, to_char(r.started_at, 'YYYY-MM-DD HH24:MI:SS'), r.state,"
                  + " coalesce(r.exit_code::text, ''), r.target_schema, r.source, count(t.source_table),"
                  + " coalesce(sum(t.rows_read), 0), r.options->>'backup_copy'"
                  + " FROM ferry.runs r LEFT JOIN ferry.table_results t USING (run_id)"
                  + " GROUP BY r.run_id ORDER BY r.started_at")) {
        String row = "%-36s  %-19s  %-20s  %4s  %-12s  %6s  %12s  %9s  %s%n";
        out.printf(
            Locale.ROOT,
            row,
            "run",
            "started (UTC)",
            "state",
            "exit",
            "schema",
            "tables",
            "rows",
            "backup",
            "source");
        long total = 0;
        while (rs.next()) {
          long size = backupSize(rs.getString(9));
          total += Math.max(0, size);
          out.printf(
              Locale.ROOT,
              row,
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              rs.getString(7),
              String.format(Locale.ROOT, "%,d", rs.getLong(8)),
              size == NONE ? "-" : size == GONE ? "removed" : BackupRetention.human(size),
              rs.getString(6));
        }
        out.printf(
            Locale.ROOT,
            "Backup copies take %s (kept %d days unless resumable; %s sets the days).%n",
            BackupRetention.human(total),
            BackupRetention.keep(env).toDays(),
            BackupRetention.VARIABLE);
      }
      return 0;
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read ferry.runs of " + url.display() + ": " + e.getMessage(),
          e);
    }
  }

  private static final long NONE = -1;
  private static final long GONE = -2;

  /** The bytes of the folder holding a run's backup copy, NONE or GONE. */
  private static long backupSize(String copy) {
    if (copy == null) {
      return NONE;
    }
    Path dir = Path.of(copy).getParent();
    return dir == null || !java.nio.file.Files.exists(dir) ? GONE : BackupRetention.size(dir);
  }

  private record Created(String kind, String schema, String name, boolean replaced) {
    String qualified() {
      return SqlText.qualified(schema, name);
    }
  }

  /** A run's row in ferry.runs: what its lease is keyed by, and its state. */
  private record Recorded(String state, String source, String schema) {}

  /**
   * Undoes a run; returns the exit code (0, or 1 when refused). A run still running elsewhere (its
   * lease is held) is refused: its tables are not dropped under its loader.
   */
  @SuppressWarnings("try") // the lease is held, not used, while the objects are dropped
  public int rollback(String runId) {
    UUID run = runId(runId);
    try (PostgresTarget target = PostgresTarget.connect(url, 2);
        Connection c = target.dataSource().getConnection()) {
      requireFerrySchema(c);
      Recorded recorded = recorded(c, run);
      if (recorded == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "no run " + run + " in ferry.runs of " + url.display() + "; `ferry runs` lists them");
      }
      if (recorded.state().equals(RunState.ROLLED_BACK.stored())) {
        out.println("Run " + run + " was already rolled back; nothing to do.");
        return 0;
      }
      try (RunLease lease = RunLease.take(target, recorded.source(), recorded.schema())) {
        List<Created> created = created(c, run);
        List<String> blockers = blockers(c, run, created);
        blockers.addAll(dev.ferry.map.Mappings.rollbackBlockers(c, run));
        if (!blockers.isEmpty()) {
          throw new FerryException(
              ErrorCode.USAGE,
              "run "
                  + run
                  + " cannot be rolled back, nothing was changed:\n  "
                  + String.join("\n  ", blockers));
        }
        List<String> notes = drop(c, run, created);
        long tables = created.stream().filter(o -> o.kind.equals("table")).count();
        long views = created.stream().filter(o -> o.kind.equals("view")).count();
        out.printf(
            Locale.ROOT,
            "Rolled back run %s: dropped %d tables and %d views.%n",
            run,
            tables,
            views);
        notes.forEach(n -> out.println("  - " + n));
        out.println(
            "Its record stays in ferry.runs (state rolled_back), with its fixups and rejects.");
        return 0;
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot roll back run " + run + " in " + url.display() + ": " + e.getMessage(),
          e);
    }
  }

  private static UUID runId(String runId) {
    try {
      return UUID.fromString(runId.trim());
    } catch (IllegalArgumentException e) {
      throw new FerryException(
          ErrorCode.USAGE, "'" + runId + "' is not a run id; `ferry runs` lists them");
    }
  }

  private static Recorded recorded(Connection c, UUID run) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, source, target_schema FROM ferry.runs WHERE run_id = ?")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Recorded(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  /**
   * Drops the run's views, then its tables in one statement (keys among them go too), then its
   * schema when nothing else is in it, and marks the run rolled back: one transaction.
   */
  private static List<String> drop(Connection c, UUID run, List<Created> created)
      throws SQLException {
    c.setAutoCommit(false);
    List<String> notes = new ArrayList<>(dev.ferry.map.Mappings.rollback(c, run));
    try (Statement st = c.createStatement()) {
      for (Created o : created) {
        if (o.kind.equals("view")) {
          st.execute("DROP VIEW IF EXISTS " + o.qualified());
        }
      }
      List<String> tables =
          created.stream().filter(o -> o.kind.equals("table")).map(Created::qualified).toList();
      if (!tables.isEmpty()) {
        st.execute("DROP TABLE IF EXISTS " + String.join(", ", tables));
      }
      for (Created o : created) {
        if (o.replaced) {
          notes.add(
              "table "
                  + o.schema
                  + "."
                  + o.name
                  + " had replaced an existing table (--if-exists drop);"
                  + " its earlier contents are not restored");
        }
      }
      for (Created o : created) {
        if (o.kind.equals("schema")) {
          st.execute("SAVEPOINT schema_drop");
          try {
            st.execute("DROP SCHEMA " + SqlText.ident(o.name));
            st.execute("RELEASE SAVEPOINT schema_drop");
          } catch (SQLException e) {
            st.execute("ROLLBACK TO SAVEPOINT schema_drop");
            notes.add("schema " + o.name + " kept: it now holds objects this run did not create");
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE ferry.runs SET state = 'rolled_back', message = coalesce(message, '') || ' [rolled back ' || now() || ']'"
                  + " WHERE run_id = ?")) {
        ps.setObject(1, run);
        ps.executeUpdate();
      }
    }
    c.commit();
    return notes;
  }

  private static List<Created> created(Connection c, UUID run) throws SQLException {
    List<Created> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT kind, schema_name, object_name, replaced FROM ferry.objects WHERE run_id = ? ORDER BY created_at")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Created(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
        }
      }
    }
    return out;
  }

  /**
   * What stops the rollback: objects outside the run that depend on its tables or views (a view, a
   * foreign key), and later runs that loaded into its tables.
   */
  private static List<String> blockers(Connection c, UUID run, List<Created> created)
      throws SQLException {
    List<String> out = new ArrayList<>();
    List<String> mine = new ArrayList<>();
    for (Created o : created) {
      if (!o.kind.equals("schema")) {
        mine.add(o.qualified());
      }
    }
    if (mine.isEmpty()) {
      return out;
    }
    String dependents =
        "WITH mine AS (SELECT to_regclass(x)::oid AS oid FROM unnest(?::text[]) x WHERE to_regclass(x) IS NOT NULL)"
            + " SELECT DISTINCT coalesce(con.conrelid, rw.ev_class)::regclass::text,"
            + "   CASE WHEN con.oid IS NOT NULL THEN 'foreign key ' || con.conname ELSE 'view' END"
            + " FROM pg_depend d"
            + " LEFT JOIN pg_constraint con ON d.classid = 'pg_constraint'::regclass AND con.oid = d.objid"
            + " LEFT JOIN pg_rewrite rw ON d.classid = 'pg_rewrite'::regclass AND rw.oid = d.objid"
            + " WHERE d.refobjid IN (SELECT oid FROM mine) AND d.deptype = 'n'"
            + "   AND coalesce(con.conrelid, rw.ev_class) IS NOT NULL"
            + "   AND coalesce(con.conrelid, rw.ev_class) NOT IN (SELECT oid FROM mine)";
    try (PreparedStatement ps = c.prepareStatement(dependents)) {
      ps.setArray(1, c.createArrayOf("text", mine.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              rs.getString(2)
                  + " on "
                  + rs.getString(1)
                  + " depends on this run's objects and is not this run's");
        }
      }
    }
    String later =
        "SELECT DISTINCT r.run_id, t.target_table FROM ferry.table_results t JOIN ferry.runs r USING (run_id)"
            + " WHERE r.started_at > (SELECT started_at FROM ferry.runs WHERE run_id = ?) AND r.state <> 'rolled_back'"
            + " AND t.target_table = ANY (?::text[])";
    List<String> names =
        created.stream()
            .filter(o -> o.kind.equals("table"))
            .map(o -> o.schema + "." + o.name)
            .toList();
    try (PreparedStatement ps = c.prepareStatement(later)) {
      ps.setObject(1, run);
      ps.setArray(2, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              "later run "
                  + rs.getString(1)
                  + " loaded into "
                  + rs.getString(2)
                  + ": roll that run back first");
        }
      }
    }
    return out;
  }

  private void requireFerrySchema(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('ferry.objects') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new FerryException(
            ErrorCode.USAGE,
            "no ferry runs are recorded in "
                + url.display()
                + " (no ferry.objects: it was never migrated to by this version of ferry)");
      }
    }
  }
}
