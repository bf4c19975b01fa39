package dev.ferry.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Live migration, the package's entry point: {@code ferry sync start|status|stop} and {@code ferry
 * cutover}. The design is in docs/SYNC.md.
 */
public final class Sync {
  private Sync() {}

  /** {@code ferry sync start}: capture, initial copy, then follow until stopped. */
  public static int start(SyncOptions o, PrintStream out, Map<String, String> env) {
    try (Connection lite = Capture.open(o.source(), 5_000)) {
      Capture.requireWal(lite, o.source());
      installCapture(lite, o, out);
      TargetUrl url = target(o, env);
      try (PostgresTarget target = PostgresTarget.connect(url, 6)) {
        SyncState state = read(target, o);
        String capture = Capture.get(lite, "capture_id");
        boolean stale = state != null && !sameCapture(state, capture);
        if (stale) {
          startOver(target, o, state, out);
          state = null;
        }
        MigrationPlan plan = null;
        if (state == null) {
          UUID run = InitialCopy.finished(target, o, Capture.get(lite, "installed_at"));
          if (run == null) {
            out.println("Initial copy (the application goes on writing; its changes are logged):");
            run = InitialCopy.run(o, out, env, stale);
          }
          // keeps the copy's snapshot before the row that says following: a follower killed
          // right after must find it even when retention has pruned the backups
          plan = InitialCopy.plan(o, run);
          try (Connection c = target.dataSource().getConnection()) {
            SyncState.create(c);
            SyncLag.create(c); // before the row that says following: readers may chart at once
            SyncState.insert(
                c,
                o.key(),
                o.schema(),
                Long.parseLong(Capture.get(lite, "start_seq")),
                run,
                capture);
          }
          state = read(target, o);
        }
        try (Connection c = target.dataSource().getConnection()) {
          SyncLag.create(c); // also for a sync started before the series was recorded
        }
        if (plan == null) {
          plan = InitialCopy.plan(o, state.run());
        }
        List<TablePlan> followed = followed(plan);
        Path delta = scratchFile(o);
        try (SyncMetrics metrics = new SyncMetrics(o.metricsPort());
            Applier applier =
                new Applier(
                    target, lite, delta, followed, o.badValues(), o.key(), o.schema(), true);
            ReverseApplier reverse = new ReverseApplier(target, lite, followed)) {
          out.printf(
              "Following %s into %s (schema %s): %d tables%s. Stop with ferry sync stop; switch"
                  + " with ferry cutover.%n",
              o.source(),
              url.display(),
              o.schema(),
              followed.size(),
              applier.replica()
                  ? ""
                  : " (foreign keys are checked while applying: the role may not set"
                      + " session_replication_role)");
          return new Follower(link(lite, target, o), applier, reverse, out, metrics).run();
        }
      }
    } catch (SQLException e) {
      throw failure(o, e);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot serve metrics on port " + o.metricsPort() + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ErrorCode.INTERNAL.exitCode();
    }
  }

  /**
   * Installs capture in the SQLite file, or checks that the one installed still fits its schema.
   */
  private static void installCapture(Connection lite, SyncOptions o, PrintStream out)
      throws SQLException {
    List<SourceTable> tables = SqliteSource.open(o.source()).readSchema().tables();
    if (!Capture.installed(lite)) {
      refuseKeyless(o, tables);
      Capture.install(lite, tables.stream().filter(t -> !t.primaryKey().isEmpty()).toList());
      out.printf(
          "Capture installed in %s: triggers on %d tables log every written key into"
              + " _ferry_changes%n",
          o.source(), tables.size());
    } else if (!Capture.fingerprint(lite).equals(Capture.get(lite, "fingerprint"))) {
      throw new FerryException(
          ErrorCode.USAGE,
          o.source()
              + ": the application's schema changed since ferry sync start installed capture;"
              + " start over: ferry sync stop, then ferry sync start");
    }
  }

  /**
   * True when the stored position counts in this capture: a capture installed again (after a {@code
   * sync stop} that removed SQLite's side but failed on PostgreSQL's) numbers its changes from its
   * own start, so an older position would skip them. A row from before ids were recorded has none
   * and is taken as it is.
   */
  private static boolean sameCapture(SyncState state, String capture) {
    return state.captureId() == null || state.captureId().equals(capture);
  }

  /**
   * The stored state belongs to an earlier capture: removed (under the follower lock, so never
   * under a running follower), and the copy made again, replacing the tables the earlier one made.
   * After a switch PostgreSQL holds writes SQLite lacks, so nothing is replaced then.
   */
  private static void startOver(
      PostgresTarget target, SyncOptions o, SyncState state, PrintStream out) throws SQLException {
    if ("to_sqlite".equals(state.direction())) {
      throw new FerryException(
          ErrorCode.USAGE,
          o.source()
              + " was switched to PostgreSQL by an earlier sync whose stop did not finish"
              + " (ferry.sync_state still holds it), and PostgreSQL may hold writes this file"
              + " lacks: run ferry sync stop again to finish it; a new sync start then copies the"
              + " file afresh");
    }
    try (Connection c = target.dataSource().getConnection()) {
      if (!Applier.followerLock(c, o.key(), false)) {
        throw new FerryException(
            ErrorCode.USAGE,
            "another ferry sync start is following " + o.source() + "; stop it first");
      }
      try {
        SyncState.delete(c, o.key(), o.schema());
      } finally {
        Applier.followerUnlock(c, o.key());
      }
    }
    out.println(
        "ferry.sync_state held the position of an earlier capture of "
            + o.source()
            + " (a sync stop that did not finish), which would skip changes: starting over with"
            + " a fresh copy that replaces the tables the earlier copy made.");
    out.flush();
  }

  private static void refuseKeyless(SyncOptions o, List<SourceTable> tables) {
    List<String> kept =
        o.config().kept(dev.ferry.run.RunOptions.sourceName(o.source())).stream()
            .map(k -> k.toLowerCase(java.util.Locale.ROOT))
            .toList();
    List<String> keyless =
        tables.stream()
            .filter(t -> t.primaryKey().isEmpty())
            .map(SourceTable::name)
            .filter(n -> !kept.contains(n.toLowerCase(java.util.Locale.ROOT)))
            .toList();
    if (!keyless.isEmpty()) { // checked before capture and the copy, not after them
      throw new FerryException(
          ErrorCode.USAGE,
          "tables without a PRIMARY KEY cannot be followed: "
              + String.join(", ", keyless)
              + " (a change is matched to its row by key, and SQLite renumbers rowids on VACUUM);"
              + " declare a key, or keep these tables in SQLite (ferry.yaml keep:)");
    }
  }

  private static List<TablePlan> followed(MigrationPlan plan) {
    List<String> keyless =
        plan.tables().stream()
            .filter(t -> t.source().primaryKey().isEmpty())
            .map(t -> t.source().name())
            .toList();
    if (!keyless.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "tables without a PRIMARY KEY cannot be followed: "
              + String.join(", ", keyless)
              + "; declare a key or keep them in SQLite (ferry.yaml keep:)");
    }
    return plan.tables();
  }

  /** {@code ferry sync status}: readable while the follower runs. */
  public static int status(SyncOptions o, PrintStream out, Map<String, String> env) {
    Map<String, Object> s = statusOf(o, env);
    if (o.json()) {
      try {
        out.println(new ObjectMapper().writeValueAsString(s));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.printf(
          "%s: %s, direction %s, lag %s ms, backlog %s, applied %s%n",
          o.source(),
          s.get("state"),
          s.get("direction"),
          s.get("lag_ms"),
          s.get("backlog"),
          s.get("applied"));
    }
    return 0;
  }

  static Map<String, Object> statusOf(SyncOptions o, Map<String, String> env) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("source", o.source().toString());
    s.put("schema", o.schema());
    try (Connection lite = Capture.open(o.source(), 2_000)) {
      if (!Capture.installed(lite)) {
        s.put("state", "stopped");
        s.put("direction", "to_postgres");
        s.put("lag_ms", 0);
        s.put("backlog", 0);
        s.put("applied", 0);
        return s;
      }
      SyncState state;
      try (PostgresTarget target = PostgresTarget.connect(target(o, env), 1)) {
        state = read(target, o);
      }
      if (state != null && !sameCapture(state, Capture.get(lite, "capture_id"))) {
        state = null; // an earlier capture's position: sync start starts over, copying first
      }
      long seq =
          state != null ? state.appliedSeq() : Long.parseLong(Capture.get(lite, "start_seq"));
      long[] backlog;
      if (state != null && "to_sqlite".equals(state.direction())) {
        try (PostgresTarget target = PostgresTarget.connect(target(o, env), 1);
            Connection c = target.dataSource().getConnection()) {
          backlog = PgCapture.backlog(c); // PostgreSQL's writes not yet in SQLite
        }
      } else {
        backlog = Capture.backlog(lite, seq);
      }
      s.put("state", state == null ? "copying" : state.state());
      s.put("direction", state == null ? "to_postgres" : state.direction());
      s.put("lag_ms", backlog[0] == 0 ? 0 : Math.max(0, System.currentTimeMillis() - backlog[1]));
      s.put("backlog", backlog[0]);
      s.put("applied", state == null ? 0 : state.applied());
      return s;
    } catch (SQLException e) {
      throw failure(o, e);
    }
  }

  /**
   * {@code ferry sync stop}: a running follower ends at its next poll; every capture object goes on
   * both sides (triggers, changelog, guard and state in SQLite; sync_state row and staging schema
   * in PostgreSQL). The migrated tables and their data stay.
   */
  public static int stop(SyncOptions o, PrintStream out, Map<String, String> env) {
    try (Connection lite = Capture.open(o.source(), 10_000)) {
      boolean was = Capture.installed(lite);
      Capture.remove(lite);
      try (PostgresTarget target = PostgresTarget.connect(target(o, env), 1);
          Connection c = target.dataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("SET lock_timeout = '20s'");
        Applier.followerLock(c, o.key(), true); // a running follower ends at its next poll
        SyncState.delete(c, o.key(), o.schema());
        st.execute(
            "DROP SCHEMA IF EXISTS " + dev.ferry.sql.SqlText.ident(Applier.STAGING) + " CASCADE");
      }
      Files.deleteIfExists(scratchFile(o));
      Files.deleteIfExists(InitialCopy.kept(o));
      out.println(
          was
              ? "Sync stopped: capture removed from "
                  + o.source()
                  + " and the target; tables and data stay."
              : "Nothing to stop: "
                  + o.source()
                  + " has no capture; any leftover in the target removed.");
      return 0;
    } catch (SQLException e) {
      throw failure(o, e);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot remove the scratch file: " + e.getMessage(), e);
    }
  }

  /**
   * {@code ferry fallback}: freeze PostgreSQL's writes, drain them into SQLite, verify, bump
   * sqlite_sequence, lift SQLite's refusal, make PostgreSQL refuse, release.
   */
  public static int fallback(SyncOptions o, PrintStream out, Map<String, String> env) {
    try {
      return new Fallback(o, out, env).run();
    } catch (SQLException e) {
      throw failure(o, e);
    }
  }

  /** {@code ferry cutover}: freeze, drain, verify, set sequences, switch, release. */
  public static int cutover(SyncOptions o, PrintStream out, Map<String, String> env) {
    try {
      return new Cutover(o, out, env).run();
    } catch (SQLException e) {
      throw failure(o, e);
    }
  }

  static TargetUrl target(SyncOptions o, Map<String, String> env) {
    TargetUrl url = TargetUrl.resolve(o.target(), env);
    return url != null ? url : EmbeddedServer.in(o.workDir()).start();
  }

  static SyncState read(PostgresTarget target, SyncOptions o) throws SQLException {
    try (Connection c = target.dataSource().getConnection()) {
      return SyncState.read(c, o.key(), o.schema(), false);
    }
  }

  static Path scratchFile(SyncOptions o) {
    Path dir = o.workDir().resolve(".ferry").resolve("sync");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FerryException(ErrorCode.USAGE, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    String name = dev.ferry.run.RunOptions.sourceName(o.source());
    return dir.resolve(name + "-" + Integer.toHexString(o.key().hashCode()) + "-delta.db");
  }

  static Follower.Link link(Connection lite, PostgresTarget target, SyncOptions o) {
    return new Follower.Link() {
      @Override
      public Connection lite() {
        return lite;
      }

      @Override
      public Path file() {
        return o.source();
      }

      @Override
      public SyncState state() throws SQLException {
        return read(target, o);
      }

      @Override
      public void record(String direction, long lagMs, long backlog, long applied)
          throws SQLException {
        try (Connection c = target.dataSource().getConnection()) {
          SyncLag.record(c, o.key(), o.schema(), direction, lagMs, backlog, applied);
        }
      }
    };
  }

  static FerryException failure(SyncOptions o, SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("SQLITE_BUSY") || m.contains("locked")) {
      return new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          o.source() + ": the application held the write lock too long: " + m,
          e);
    }
    return new FerryException(
        dev.ferry.postgres.SqlStates.connectionLost(e)
            ? ErrorCode.TARGET_UNREACHABLE
            : ErrorCode.LOAD_FAILED,
        o.source() + ": " + m,
        e);
  }
}
