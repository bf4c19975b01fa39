package dev.ferry.sync;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The follow loop of {@code ferry sync start}: every poll it checks that the application's schema
 * is unchanged, reads the next changes after the applied position in one short read, applies them
 * ({@link Applier}) and prunes them. It ends when {@code ferry sync stop} removed the capture.
 */
final class Follower {
  // at most this many changes per batch: a batch's fixed cost (a staging load per table, one
  // transaction) is paid once for all of them, so a follower behind catches up faster
  static final int BATCH = 5000;
  private static final long POLL_MS = 100;
  private static final long LINE_EVERY_MS = 10_000;

  private final Link link;
  private final Applier applier;
  private final ReverseApplier reverse;
  private final PrintStream out;
  private final boolean terminal;
  private final SyncMetrics metrics;
  private final String fingerprint;
  private long schemaVersion = -1;
  private long lastLine;
  private long appliedSinceLine;
  private long lastRecorded;

  @SuppressWarnings("SystemConsoleNull") // release 17: console() is null when not a terminal
  Follower(Link link, Applier applier, ReverseApplier reverse, PrintStream out, SyncMetrics metrics)
      throws SQLException {
    this.link = link;
    this.applier = applier;
    this.reverse = reverse;
    this.out = out;
    this.terminal = System.console() != null;
    this.metrics = metrics;
    this.fingerprint = Capture.get(link.lite(), "fingerprint");
  }

  /** Follows until stopped; returns the exit code. */
  int run() throws SQLException, InterruptedException {
    lastLine = System.currentTimeMillis();
    while (true) {
      if (!Capture.installed(link.lite())) {
        line("stopped", 0, 0, true);
        out.println("ferry sync stop removed the capture: following ended.");
        return 0;
      }
      checkSchema();
      SyncState state = link.state();
      if (state == null) {
        out.println("ferry sync stop removed the sync state: following ended.");
        return 0;
      }
      if (!"to_postgres".equals(state.direction())) {
        followBack(state); // switched: PostgreSQL is the application's database now
        continue;
      }
      List<Change> changes = Change.after(link.lite(), state.appliedSeq(), BATCH);
      long[] backlog = Capture.backlog(link.lite(), state.appliedSeq());
      long lag = backlog[0] == 0 ? 0 : Math.max(0, System.currentTimeMillis() - backlog[1]);
      metrics.observe(lag, backlog[0], state.applied());
      record(state.direction(), lag, backlog[0], state.applied());
      if (changes.isEmpty()) {
        line(state.state(), 0, 0, false);
        Thread.sleep(POLL_MS);
        continue;
      }
      try {
        if (applier.apply(changes, state.appliedSeq())) {
          appliedSinceLine += changes.size();
          metrics.applied(changes.size());
          prune(changes.get(changes.size() - 1).seq());
        }
      } catch (SQLException e) {
        metrics.error();
        if (!Capture.installed(link.lite())) {
          continue; // stopped while applying: the loop says so
        }
        if (SqlStates.connectionLost(e)) {
          out.println("PostgreSQL connection lost (" + e.getMessage() + "); retrying in 1 s");
          Thread.sleep(1000);
          continue;
        }
        throw e;
      }
      line(state.state(), lag, backlog[0] - changes.size(), false);
    }
  }

  /** After cutover: PostgreSQL's writes into SQLite, one batch per poll. */
  private void followBack(SyncState state) throws SQLException, InterruptedException {
    int n;
    long[] backlog;
    try {
      n = reverse.poll();
      backlog = reverse.backlog();
    } catch (SQLException e) {
      metrics.error();
      if (!Capture.installed(link.lite())) {
        return; // stopped while applying: the loop says so
      }
      if ("42P01".equals(e.getSQLState())) {
        return; // the way back's changelog went (a fallback, then sync stop): state says what next
      }
      if (SqlStates.connectionLost(e) || String.valueOf(e.getMessage()).contains("SQLITE_BUSY")) {
        out.println("Applying into SQLite failed (" + e.getMessage() + "); retrying in 1 s");
        Thread.sleep(1000);
        return;
      }
      throw e;
    }
    long lag = backlog[0] == 0 ? 0 : Math.max(0, System.currentTimeMillis() - backlog[1]);
    metrics.observe(lag, backlog[0], state.applied());
    record(state.direction(), lag, backlog[0], state.applied());
    if (n > 0) {
      appliedSinceLine += n;
      metrics.applied(n);
    } else {
      Thread.sleep(POLL_MS);
    }
    line(state.state(), lag, backlog[0], false);
  }

  /**
   * A point of the lag series at most every {@link SyncLag#EVERY_MS}: one small insert on the
   * status tick, never one per change. A point that cannot be written is a gap in the chart, not a
   * reason to stop following (the apply path reports a lost connection).
   */
  private void record(String direction, long lag, long backlog, long applied) {
    long now = System.currentTimeMillis();
    if (now - lastRecorded < SyncLag.EVERY_MS) {
      return;
    }
    lastRecorded = now;
    try {
      link.record(direction, lag, backlog, applied);
    } catch (SQLException e) {
      metrics.error();
    }
  }

  private void prune(long seq) {
    try {
      Capture.prune(link.lite(), seq);
    } catch (SQLException e) {
      // the application holds the write lock: pruned at a later poll
    }
  }

  /** Row triggers do not see DDL: compare the schema whenever SQLite's schema counter moves. */
  private void checkSchema() throws SQLException {
    long v = Capture.schemaVersion(link.lite());
    if (v == schemaVersion) {
      return;
    }
    String now = Capture.fingerprint(link.lite());
    if (!now.equals(fingerprint)) {
      throw new FerryException(
          ErrorCode.USAGE,
          link.file()
              + ": the application's schema changed while following (a table, column, index or"
              + " view was created, altered or dropped): row triggers cannot follow that, so"
              + " following stopped here. Start over: ferry sync stop, remove the copied tables"
              + " (ferry runs, then ferry rollback RUN-ID), then ferry sync start");
    }
    schemaVersion = v;
  }

  private void line(String state, long lagMs, long backlog, boolean force) {
    long now = System.currentTimeMillis();
    if (terminal) {
      out.printf(
          "\r%-10s lag %5d ms  backlog %7d  %6.0f changes/s   ",
          state,
          lagMs,
          Math.max(0, backlog),
          appliedSinceLine * 1000.0 / Math.max(1, now - lastLine));
      out.flush();
      if (now - lastLine > 2000) {
        lastLine = now;
        appliedSinceLine = 0;
      }
    } else if (force || now - lastLine >= LINE_EVERY_MS) {
      out.printf(
          "%s: %s, lag %d ms, backlog %d, %.0f changes/s%n",
          java.time.Instant.ofEpochMilli(now),
          state,
          lagMs,
          Math.max(0, backlog),
          appliedSinceLine * 1000.0 / Math.max(1, now - lastLine));
      out.flush();
      lastLine = now;
      appliedSinceLine = 0;
    }
  }

  /** Both sides of one sync. */
  interface Link {
    Connection lite();

    java.nio.file.Path file();

    SyncState state() throws SQLException;

    /** Adds a point to the lag series ({@link SyncLag}). */
    void record(String direction, long lagMs, long backlog, long applied) throws SQLException;
  }
}
