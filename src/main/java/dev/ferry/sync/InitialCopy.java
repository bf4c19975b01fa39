package dev.ferry.sync;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.IfExists;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.PlanOptions;
import dev.ferry.plan.Planner;
import dev.ferry.run.Migration;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunReport;
import dev.ferry.run.RunSetting;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * The initial copy is an ordinary {@code ferry migrate} run (plan, types, lossless rules, backup
 * snapshot, checksums, resume after a kill): its backup is taken after the capture triggers are in,
 * so every write the snapshot misses is in the changelog after the recorded start position, and
 * replaying a change the snapshot already holds is harmless (apply re-reads the row). The follower
 * then plans that same backup again with the same options, which gives the very plan the copy used.
 */
final class InitialCopy {
  private InitialCopy() {}

  /**
   * The migration request sync makes (the one place RunOptions is built here): default options,
   * schema and bad-value policy from sync's own, a backup under .ferry/backups.
   */
  static RunOptions runOptions(SyncOptions o) {
    return runOptions(o, false);
  }

  private static RunOptions runOptions(SyncOptions o, boolean replace) {
    return RunOptions.builder()
        .set(RunSetting.IF_EXISTS, replace ? IfExists.DROP : IfExists.FAIL)
        .source(o.source())
        .target(o.target())
        .schema(o.schema())
        .verify(Verifier.Mode.CHECKSUM)
        .badValues(o.badValues())
        .config(o.config())
        .backup(true)
        .chunkRows(1_000_000L)
        .workDir(o.workDir())
        .build();
  }

  /** Runs the copy (or resumes it); returns its run id. */
  static UUID run(SyncOptions o, PrintStream out, Map<String, String> env, boolean replace) {
    RunReport report = new Migration(runOptions(o, replace), out, env, false).run();
    if (report.exitCode() != 0 && report.exitCode() != ErrorCode.ROWS_SET_ASIDE.exitCode()) {
      throw new FerryException(
          ErrorCode.LOAD_FAILED,
          "the initial copy did not finish (exit "
              + report.exitCode()
              + "): "
              + report.message()
              + "; fix that and run ferry sync start again");
    }
    return UUID.fromString(report.runId());
  }

  /**
   * The run that finished a copy of this file into this schema since capture was installed, or
   * null: a follower killed right after the copy must not copy again.
   */
  static UUID finished(PostgresTarget target, SyncOptions o, String installedAt)
      throws SQLException {
    try (Connection c = target.dataSource().getConnection()) {
      try (var st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT to_regclass('ferry.runs') IS NOT NULL")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return null;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT run_id FROM ferry.runs WHERE source = ? AND target_schema = ? AND state IN"
                  + " ('succeeded', 'succeeded_with_fixes') AND started_at >= ?::timestamptz ORDER"
                  + " BY started_at DESC LIMIT 1")) {
        ps.setString(1, o.key());
        ps.setString(2, o.schema());
        ps.setString(3, installedAt);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getObject(1, UUID.class) : null;
        }
      }
    }
  }

  /** The plan the copy of run {@code run} used: its backup, planned again with the same options. */
  static MigrationPlan plan(SyncOptions o, UUID run) {
    Path copy =
        o.workDir()
            .resolve(".ferry")
            .resolve("backups")
            .resolve(run.toString())
            .resolve(o.source().getFileName());
    Path kept = kept(o);
    if (!Files.isRegularFile(kept)) {
      if (!Files.isRegularFile(copy)) {
        throw new FerryException(
            ErrorCode.USAGE,
            "the initial copy's snapshot "
                + copy
                + " is gone, so its plan cannot be read again; run ferry sync stop, then start"
                + " over");
      }
      keep(copy, kept);
    }
    SqliteSource snapshot = SqliteSource.open(kept);
    return Planner.plan(snapshot, snapshot.readSchema(), planOptions(o));
  }

  /**
   * Where the sync keeps the initial copy's snapshot while it exists: out of the backups' 7-day
   * retention (which would prune it under a follower that runs longer), removed by sync stop.
   */
  static Path kept(SyncOptions o) {
    Path scratch = Sync.scratchFile(o);
    String name = scratch.getFileName().toString().replace("-delta.db", "-snapshot.db");
    return scratch.resolveSibling(name);
  }

  /** A hard link to the backup (no copy of the data), or a copy where links are not possible. */
  private static void keep(Path backup, Path kept) {
    try {
      Path part = kept.resolveSibling(kept.getFileName() + ".part");
      Files.deleteIfExists(part);
      try {
        Files.createLink(part, backup);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(backup, part);
      }
      Files.move(part, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot keep the initial copy's snapshot at " + kept + ": " + e, e);
    }
  }

  /** The plan options a migrate with these options uses. */
  private static PlanOptions planOptions(SyncOptions o) {
    return runOptions(o).planOptions();
  }
}
