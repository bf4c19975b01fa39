package dev.ferry.sync;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.TableChecksum;
import dev.ferry.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry cutover}. Before the freeze: plan, drain, and {@link IncrementalVerify}'s pass over
 * every row by key (if what would be left for the freeze is estimated over the budget, nothing is
 * frozen). The freeze is SQLite's write lock (BEGIN IMMEDIATE on a connection of Ferry's), so the
 * application's writes wait within their busy timeout: drain what is left, re-read only the keys
 * changed since the pass (and those that differed) plus every table's count, set identity sequences
 * past both sides' values, run --exec, record the switch in ferry.sync_state, add the triggers that
 * refuse writes naming PostgreSQL, commit (which releases the lock). Any failure, or the budget
 * running out, rolls the SQLite transaction back (nothing switched) and exits non-zero.
 */
final class Cutover {
  private final SyncOptions o;
  private final PrintStream out;
  private final Map<String, String> env;
  // the changelog after the verification mark is kept at most this long (a killed cutover)
  private static final long HOLD_MS = 6 * 3600_000L;
  private static final int ROUNDS = 3;
  private static final long SETTLED = 1000;
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private final Map<String, Long> verify = new LinkedHashMap<>();
  private long frozenAt;

  Cutover(SyncOptions o, PrintStream out, Map<String, String> env) {
    this.o = o;
    this.out = out;
    this.env = env;
  }

  int run() throws SQLException {
    long budget = o.maxFreeze().toMillis();
    TargetUrl url = Sync.target(o, env);
    try (Connection lite = Capture.open(o.source(), 2_000);
        Connection lock = Capture.open(o.source(), (int) Math.min(budget, 30_000));
        PostgresTarget target = PostgresTarget.connect(url, 4)) {
      if (!Capture.installed(lite)) {
        throw new FerryException(
            ErrorCode.USAGE, o.source() + " is not followed: run ferry sync start first");
      }
      SyncState state = Sync.read(target, o);
      if (state == null || !"to_postgres".equals(state.direction())) {
        throw new FerryException(
            ErrorCode.USAGE,
            state == null
                ? "the initial copy has not finished: wait until ferry sync status says following"
                : o.source() + " was already switched to PostgreSQL (" + state.state() + ")");
      }
      List<TablePlan> tables = InitialCopy.plan(o, state.run()).tables();
      Path delta = Path.of(Sync.scratchFile(o) + "-cutover.db");
      try (Applier applier =
          new Applier(target, lite, delta, tables, o.badValues(), o.key(), o.schema(), false)) {
        drain(lite, target, applier, Capture.maxSeq(lite));
        IncrementalVerify check =
            new IncrementalVerify(lite, target, o.source(), tables, o.badValues());
        boolean held = false;
        try {
          long mark = Capture.holdPruning(lite, HOLD_MS);
          held = true;
          drain(lite, target, applier, mark);
          before("pass", () -> check.pass(mark));
          before("catch_up", () -> catchUp(lite, target, applier, check));
          long estimate = check.estimateMs();
          if (estimate >= budget) {
            return report(
                false,
                false,
                "verifying in the freeze would take about "
                    + estimate
                    + " ms ("
                    + check.pendingKeys()
                    + " keys to re-read, counts and whole-table checks), more than --max-freeze "
                    + budget
                    + " ms: nothing was frozen (raise --max-freeze, or run cutover when the"
                    + " application writes less)",
                List.of());
          }
          // the backlog the follower has left now is applied outside the freeze, not in it
          drain(lite, target, applier, Capture.maxSeq(lite));
          int code = frozen(lite, lock, target, applier, tables, url, budget, check);
          held = code != 0; // switched: the mark went with the switch's transaction
          return code;
        } finally {
          if (held) {
            Capture.releasePruning(lite);
          }
        }
      }
    }
  }

  /**
   * Re-reads the keys changed since the pass (and those it found different) until few are left, at
   * most {@link #ROUNDS} times, moving the mark each time: the freeze re-reads only the rest.
   */
  private void catchUp(
      Connection lite, PostgresTarget target, Applier applier, IncrementalVerify check)
      throws SQLException {
    for (int round = 0; round < ROUNDS && check.pendingKeys() > SETTLED; round++) {
      long upTo = Capture.maxSeq(lite);
      drain(lite, target, applier, upTo);
      verify.merge("catch_up_keys", (long) check.catchUp(upTo), Long::sum);
      Capture.moveMark(lite, upTo);
    }
  }

  private void before(String name, Step step) throws SQLException {
    long t = System.nanoTime();
    step.run();
    verify.put(name + "_ms", (System.nanoTime() - t) / 1_000_000);
  }

  private int frozen(
      Connection lite,
      Connection lock,
      PostgresTarget target,
      Applier applier,
      List<TablePlan> tables,
      TargetUrl url,
      long budget,
      IncrementalVerify check)
      throws SQLException {
    try (Statement st = lock.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      frozenAt = System.nanoTime();
      boolean committed = false;
      try {
        phase("drain", () -> drain(lite, target, applier, Long.MAX_VALUE));
        List<String> differ = new ArrayList<>();
        int[] rechecked = new int[1];
        phase("verify", () -> differ.addAll(check.inFreeze(rechecked)));
        verify.put("rows_compared", check.compared());
        verify.put("rechecked_keys", (long) rechecked[0]);
        if (!differ.isEmpty()) {
          return report(false, false, "verification failed: " + String.join("; ", differ), differ);
        }
        if (elapsed() > budget) {
          return report(
              true,
              false,
              "the freeze budget of " + budget + " ms ran out before the switch",
              differ);
        }
        phase("sequences", () -> sequences(lite, target, tables));
        // the way back: PostgreSQL's writes are captured from before the application may make any
        phase(
            "capture",
            () -> {
              try (Connection c = target.dataSource().getConnection()) {
                c.setAutoCommit(false);
                PgCapture.install(c, tables);
                c.commit();
              }
            });
        if (o.exec() != null) {
          phase("exec", () -> exec(o, out));
        }
        phase("switch", () -> switchSqlite(st, lock, tables, url));
        // SQLite's commit is the switch: only then does PostgreSQL record it, so a failure before
        // it leaves both sides as they were (SQLite rolls back and keeps taking writes)
        st.execute("COMMIT");
        committed = true;
        try (Connection c = target.dataSource().getConnection()) {
          SyncState.setState(c, o.key(), o.schema(), "switched", "to_sqlite");
        }
        return report(true, true, null, differ);
      } finally {
        if (!committed) {
          st.execute("ROLLBACK");
          if (phases.containsKey("capture")) {
            try (Connection c = target.dataSource().getConnection()) {
              PgCapture.uninstall(c, tables); // nothing switched: nothing to capture
            }
          }
        }
      }
    }
  }

  /** In the freeze's transaction: SQLite refuses writes to the moved tables from its commit. */
  private void switchSqlite(Statement st, Connection lock, List<TablePlan> tables, TargetUrl url)
      throws SQLException {
    Capture.refuse(
        st,
        tables.stream().map(TablePlan::source).toList(),
        "ferry: table TABLE moved to PostgreSQL ("
            + url.display()
            + ", schema "
            + o.schema()
            + ") at cutover "
            + java.time.Instant.now()
            + "; write there, this SQLite file no longer takes writes");
    Capture.put(lock, "state", "switched");
    Capture.releasePruning(lock);
  }

  private interface Step {
    void run() throws SQLException;
  }

  private void phase(String name, Step step) throws SQLException {
    long t = System.nanoTime();
    step.run();
    phases.put(name, (System.nanoTime() - t) / 1_000_000);
  }

  private long elapsed() {
    return (System.nanoTime() - frozenAt) / 1_000_000;
  }

  /**
   * Applies the changes captured up to {@code upTo}. Before the freeze that is the last change when
   * cutover began: the application goes on writing meanwhile, and when it writes faster than the
   * changes are applied, draining until nothing is left would never end.
   */
  private void drain(Connection lite, PostgresTarget target, Applier applier, long upTo)
      throws SQLException {
    while (true) {
      SyncState s = Sync.read(target, o);
      List<Change> changes = Change.after(lite, s.appliedSeq(), Follower.BATCH);
      if (changes.isEmpty() || s.appliedSeq() >= upTo) {
        return;
      }
      applier.apply(changes, s.appliedSeq()); // false: the follower applied them meanwhile
    }
  }

  /** Tables whose count or checksum differ, described. */
  static List<String> verify(SyncOptions o, PostgresTarget target, List<TablePlan> tables) {
    return verify(o.source(), o.badValues(), target, tables);
  }

  /** Tables whose count or checksum differ between {@code file} and the target, described. */
  static List<String> verify(
      Path file,
      dev.ferry.value.BadValuePolicy policy,
      PostgresTarget target,
      List<TablePlan> tables) {
    SqliteSource source = SqliteSource.open(file);
    List<String> differ = new ArrayList<>();
    for (TablePlan t : tables) {
      TableChecksum s = Verifier.checksum(source, t, policy);
      TableChecksum p = Verifier.checksum(target, t);
      if (!s.equals(p)) {
        differ.add(
            t.source().name()
                + ": SQLite "
                + s.rows()
                + " rows, PostgreSQL "
                + p.rows()
                + (s.rows() == p.rows() ? ", checksums differ" : ""));
      }
    }
    return differ;
  }

  /** Identity sequences past the largest key on both sides and SQLite's AUTOINCREMENT mark. */
  private void sequences(Connection lite, PostgresTarget target, List<TablePlan> tables)
      throws SQLException {
    try (Connection c = target.dataSource().getConnection()) {
      for (TablePlan t : tables) {
        for (ColumnPlan col : t.columns()) {
          if (!col.identity()) {
            continue;
          }
          long mark = autoincrement(lite, t.source());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT setval(pg_get_serial_sequence(?, ?), GREATEST((SELECT max("
                      + dev.ferry.sql.SqlText.ident(col.name())
                      + ") FROM "
                      + t.qualified()
                      + "), ?, 1))")) {
            ps.setString(1, t.qualified());
            ps.setString(2, col.name());
            ps.setLong(3, mark);
            ps.execute();
          }
        }
      }
    }
  }

  private static long autoincrement(Connection lite, SourceTable t) throws SQLException {
    try (Statement st = lite.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")) {
      if (!rs.next()) {
        return 0;
      }
    }
    try (PreparedStatement ps =
        lite.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
      ps.setString(1, t.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Runs --exec (the user's own switch); a failure switches nothing. */
  static void exec(SyncOptions o, PrintStream out) {
    try {
      Process p = new ProcessBuilder("sh", "-c", o.exec()).redirectErrorStream(true).start();
      String output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      out.print(output);
      int code = p.waitFor();
      if (code != 0) {
        throw new FerryException(
            ErrorCode.TARGET_CONFLICT,
            "--exec exited "
                + code
                + ": nothing was switched, the application writes to SQLite again");
      }
    } catch (IOException e) {
      throw new FerryException(ErrorCode.USAGE, "--exec could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while --exec ran", e);
    }
  }

  private int report(boolean verified, boolean switched, String reason, List<String> differ) {
    long freeze = frozenAt == 0 ? 0 : elapsed();
    if (o.json()) {
      SwitchReport.json(out, freeze, verified, switched, phases, verify, reason);
    } else {
      String b = SwitchReport.phases(phases);
      if (!verify.isEmpty()) {
        out.printf("Verification: %s.%n", SwitchReport.verify(verify));
      }
      out.printf("Writes frozen %d ms (%s).%n", freeze, b);
      out.println(
          switched
              ? "Switched: PostgreSQL is the application's database now; SQLite refuses writes naming it."
              : "Not switched: " + reason + ". The application writes to SQLite as before.");
    }
    if (switched) {
      return 0;
    }
    return !differ.isEmpty()
        ? ErrorCode.VERIFICATION_FAILED.exitCode()
        : ErrorCode.TARGET_CONFLICT.exitCode();
  }
}
