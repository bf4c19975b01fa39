package dev.ferry.sync;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import java.io.PrintStream;
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
 * {@code ferry fallback}: the way back during the fallback window. The freeze is PostgreSQL's: one
 * transaction takes {@code LOCK … IN EXCLUSIVE MODE} on every migrated table (reads go on, writes
 * wait), then: drain the reverse backlog into SQLite, verify both sides equal (count and checksum
 * per table), bump {@code sqlite_sequence} past PostgreSQL's keys and sequences, run --exec, lift
 * SQLite's refusal, make PostgreSQL's tables refuse writes naming the SQLite file, and commit,
 * which releases the locks. The follower then follows SQLite into PostgreSQL again (Ferry's own
 * writes pass PostgreSQL's refusal), so a later cutover can switch once more. Anything failing
 * before the end changes nothing: SQLite's transaction and PostgreSQL's roll back.
 */
final class Fallback {
  private static final long DRAIN_MS = 30_000;

  private final SyncOptions o;
  private final PrintStream out;
  private final Map<String, String> env;
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private long frozenAt;

  Fallback(SyncOptions o, PrintStream out, Map<String, String> env) {
    this.o = o;
    this.out = out;
    this.env = env;
  }

  int run() throws SQLException {
    try (Connection lite = Capture.open(o.source(), 30_000);
        PostgresTarget target = PostgresTarget.connect(Sync.target(o, env), 4)) {
      SyncState state = Sync.read(target, o);
      if (!Capture.installed(lite) || state == null || !"to_sqlite".equals(state.direction())) {
        throw new FerryException(
            ErrorCode.USAGE,
            o.source()
                + " is not switched to PostgreSQL by ferry cutover (state: "
                + (state == null ? "none" : state.state())
                + "): there is nothing to fall back from");
      }
      List<TablePlan> tables = InitialCopy.plan(o, state.run()).tables();
      try (Connection freeze = target.dataSource().getConnection();
          ReverseApplier reverse = new ReverseApplier(target, lite, tables)) {
        freeze.setAutoCommit(false);
        try (Statement st = freeze.createStatement()) {
          st.execute("SET LOCAL lock_timeout = '30s'");
          for (TablePlan t : tables) {
            st.execute("LOCK TABLE " + t.qualified() + " IN EXCLUSIVE MODE");
          }
        }
        frozenAt = System.nanoTime();
        try {
          return frozen(lite, freeze, target, reverse, tables);
        } finally {
          freeze.rollback(); // a no-op after the commit that switched
        }
      }
    }
  }

  private int frozen(
      Connection lite,
      Connection freeze,
      PostgresTarget target,
      ReverseApplier reverse,
      List<TablePlan> tables)
      throws SQLException {
    phase("drain", () -> drain(reverse));
    List<String> differ = new ArrayList<>();
    phase("verify", () -> differ.addAll(Cutover.verify(o, target, tables)));
    if (!differ.isEmpty()) {
      return report(false, false, "verification failed: " + String.join("; ", differ));
    }
    phase("sequences", () -> sqliteSequences(lite, freeze, tables));
    if (o.exec() != null) {
      phase("exec", () -> Cutover.exec(o, out));
    }
    phase(
        "switch",
        () -> {
          PgCapture.refuse(
              freeze,
              tables,
              "ferry: table TABLE moved back to SQLite ("
                  + o.source()
                  + ") at fallback "
                  + java.time.Instant.now()
                  + "; write there, this PostgreSQL table no longer takes writes");
          SyncState.setState(freeze, o.key(), o.schema(), "following", "to_postgres");
          try (Statement st = lite.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
              for (String t : refusals(lite)) {
                st.execute("DROP TRIGGER IF EXISTS " + dev.ferry.sql.SqlText.ident(t));
              }
              Capture.put(lite, "state", "following");
              st.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
              st.execute("ROLLBACK");
              throw e;
            }
          }
          freeze.commit(); // releases the locks
        });
    return report(true, true, null);
  }

  /** Applies the reverse backlog until none is left (every writer waits on the locks now). */
  private void drain(ReverseApplier reverse) throws SQLException {
    long until = System.currentTimeMillis() + DRAIN_MS;
    while (reverse.backlog()[0] > 0) {
      if (reverse.poll() == 0) {
        if (System.currentTimeMillis() > until) {
          throw new FerryException(
              ErrorCode.TARGET_CONFLICT,
              "the reverse backlog did not drain in "
                  + DRAIN_MS / 1000
                  + " s: a transaction that began before the freeze is still open in PostgreSQL"
                  + " (see pg_stat_activity); nothing was switched");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FerryException(ErrorCode.INTERNAL, "interrupted while draining", e);
        }
      }
    }
  }

  private static List<String> refusals(Connection lite) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = lite.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE"
                    + " '\\_ferry\\_%\\_refuse\\_%' ESCAPE '\\'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /**
   * {@code sqlite_sequence} past PostgreSQL's largest key and identity sequence, so rows the
   * application inserts into SQLite again never reuse a key PostgreSQL handed out.
   */
  private static void sqliteSequences(Connection lite, Connection pg, List<TablePlan> tables)
      throws SQLException {
    if (!hasSequenceTable(lite)) {
      return;
    }
    for (TablePlan t : tables) {
      for (ColumnPlan c : t.columns()) {
        if (!c.identity()) {
          continue;
        }
        long mark = Math.max(maxKey(pg, t, c), sequenceValue(pg, t, c));
        try (PreparedStatement ps =
            lite.prepareStatement("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?")) {
          ps.setLong(1, mark);
          ps.setString(2, t.source().name());
          ps.executeUpdate();
        }
      }
    }
  }

  private static long maxKey(Connection pg, TablePlan t, ColumnPlan c) throws SQLException {
    try (Statement st = pg.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(max("
                    + dev.ferry.sql.SqlText.ident(c.name())
                    + "), 0) FROM "
                    + t.qualified())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The identity sequence's last handed-out value (0 when none was). */
  private static long sequenceValue(Connection pg, TablePlan t, ColumnPlan c) throws SQLException {
    try (PreparedStatement ps =
        pg.prepareStatement(
            "SELECT coalesce(last_value, 0) FROM pg_sequences WHERE schemaname || '.' ||"
                + " sequencename = (SELECT pg_get_serial_sequence(?, ?))")) {
      ps.setString(1, t.qualified());
      ps.setString(2, c.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static boolean hasSequenceTable(Connection lite) throws SQLException {
    try (Statement st = lite.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")) {
      return rs.next();
    }
  }

  private interface Step {
    void run() throws SQLException;
  }

  private void phase(String name, Step step) throws SQLException {
    long t = System.nanoTime();
    step.run();
    phases.put(name, (System.nanoTime() - t) / 1_000_000);
  }

  private int report(boolean verified, boolean switched, String reason) {
    long freeze = (System.nanoTime() - frozenAt) / 1_000_000;
    if (o.json()) {
      SwitchReport.json(out, freeze, verified, switched, phases, reason);
    } else {
      String b = SwitchReport.phases(phases);
      out.printf("PostgreSQL writes frozen %d ms (%s).%n", freeze, b);
      out.println(
          switched
              ? "Fell back: SQLite is the application's database again; PostgreSQL's tables refuse"
                  + " writes naming it, and ferry sync start follows SQLite into them again."
              : "Not switched back: "
                  + reason
                  + ". The application writes to PostgreSQL as before.");
    }
    return switched ? 0 : ErrorCode.VERIFICATION_FAILED.exitCode();
  }
}
