package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.files.FileStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code ferry} schema in the target: every run and its per-table results. Its own tables are
 * created and evolved by Flyway (history in ferry.schema_history), never by hand; Flyway starts
 * only when the schema is behind ({@link MetadataSchema}).
 */
final class RunStore {
  static final String SCHEMA = "ferry";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final dev.ferry.load.PostgresTarget target;

  RunStore(dev.ferry.load.PostgresTarget target) {
    this.target = target;
    this.dataSource = target.dataSource();
    try {
      MetadataSchema.bringCurrent(dataSource);
    } catch (RuntimeException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot create or update the ferry metadata schema: " + e.getMessage(),
          e);
    }
  }

  /**
   * The latest run recorded for a source and schema.
   *
   * @param run its id
   * @param state its state in ferry.runs
   * @param startedAt when it started (UTC)
   * @param backupCopy the copy it read, or null (--no-backup)
   * @param sourceStamp the source's size and modification time when it started
   */
  record LastRun(UUID run, String state, String startedAt, String backupCopy, String sourceStamp) {
    /** It did not finish (killed while running, or failed): a re-run continues it. */
    boolean resumable() {
      return RunState.of(state).resumable();
    }
  }

  /**
   * The latest run of {@code source} into {@code schema}, whatever its state; null when none was
   * ever recorded (nothing is created).
   */
  static LastRun latest(dev.ferry.load.PostgresTarget target, String source, String schema) {
    return target.withRetry(
        "looking for an interrupted run",
        () -> {
          try (Connection c = target.dataSource().getConnection();
              PreparedStatement has =
                  c.prepareStatement("SELECT to_regclass('ferry.objects') IS NOT NULL");
              java.sql.ResultSet h = has.executeQuery()) {
            h.next();
            if (!h.getBoolean(1)) {
              return null;
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT run_id, state, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                        + " options->>'backup_copy', options->>'source_stamp' FROM ferry.runs WHERE source = ? AND target_schema = ?"
                        + " ORDER BY started_at DESC LIMIT 1")) {
              ps.setString(1, source);
              ps.setString(2, schema);
              try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return null;
                }
                return new LastRun(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5));
              }
            }
          }
        });
  }

  /** The runs a re-run would continue (running or failed): their backup copies are kept. */
  static java.util.Set<UUID> resumableRuns(dev.ferry.load.PostgresTarget target) {
    return target.withRetry(
        "looking for resumable runs",
        () -> {
          java.util.Set<UUID> out = new java.util.HashSet<>();
          try (Connection c = target.dataSource().getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT run_id FROM ferry.runs WHERE to_regclass('ferry.runs') IS NOT NULL"
                          + " AND state IN ('running', 'failed')")) {
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
              }
            }
          } catch (java.sql.SQLException e) {
            if (dev.ferry.postgres.SqlStates.of(e)
                != dev.ferry.postgres.SqlStates.Kind.UNDEFINED) { // no ferry.runs yet: none kept
              throw e;
            }
          }
          return out;
        });
  }

  /** Tables and views the run created (their data committed with the record). */
  static java.util.Set<String> objects(dev.ferry.load.PostgresTarget target, UUID run) {
    return target.withRetry(
        "reading what the run created",
        () -> {
          java.util.Set<String> out = new java.util.HashSet<>();
          try (Connection c = target.dataSource().getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT object_name FROM ferry.objects WHERE run_id = ? AND kind IN ('table', 'view')")) {
            ps.setObject(1, run);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  /**
   * What the run's committed chunks hold, per source table (ferry.checkpoints). A table whose
   * chunks were loaded without a checksum (count-only verification) has a null checksum.
   */
  static Map<String, dev.ferry.load.LoadedSoFar> checkpoints(
      dev.ferry.load.PostgresTarget target, UUID run) {
    return target.withRetry(
        "reading the run's checkpoints",
        () -> {
          Map<String, dev.ferry.load.LoadedSoFar> out = new java.util.HashMap<>();
          try (Connection c = target.dataSource().getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT source_table, count(*), max(upto_rowid), bool_or(last),"
                          + " sum(rows_read), sum(rows_written), sum(bytes), sum(sum_rows), sum(sum_value), sum(fixed),"
                          + " sum(set_aside), bool_and(sum_rows = rows_written - 0 OR rows_written = 0),"
                          // two plans' chunks: 'mixed' is no plan's, so StaleChunks reloads it
                          + " CASE WHEN count(DISTINCT loading) > 1 THEN 'mixed'"
                          + " WHEN count(loading) = count(*) THEN min(loading) END"
                          + " FROM ferry.checkpoints WHERE run_id = ? GROUP BY source_table")) {
            ps.setObject(1, run);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Long upto = rs.getObject(3) == null ? null : rs.getLong(3);
                dev.ferry.value.TableChecksum sum =
                    rs.getBoolean(12)
                        ? new dev.ferry.value.TableChecksum(
                            rs.getLong(8), rs.getBigDecimal(9).toBigIntegerExact())
                        : null;
                out.put(
                    rs.getString(1),
                    new dev.ferry.load.LoadedSoFar(
                        rs.getInt(2),
                        upto,
                        rs.getBoolean(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        sum,
                        rs.getLong(10),
                        rs.getLong(11),
                        rs.getString(13)));
              }
            }
          }
          return out;
        });
  }

  /** Marks an interrupted run as running again. */
  void resume(UUID run) {
    update(
        "UPDATE ferry.runs SET state = 'running', finished_at = NULL, exit_code = NULL,"
            + " message = coalesce(message, '') || ' [resumed ' || now() || ']' WHERE run_id = ?",
        run);
  }

  void begin(UUID run, String source, String schema, String version, Map<String, Object> options) {
    update(
        "INSERT INTO ferry.runs (run_id, source, target_schema, state, ferry_version, options)"
            + " VALUES (?, ?, ?, 'running', ?, ?::jsonb)",
        run,
        source,
        schema,
        version,
        json(options));
  }

  void table(UUID run, TableResult t) {
    update(
        "INSERT INTO ferry.table_results (run_id, source_table, target_table, rows_read, rows_written,"
            + " rows_in_target, rows_fixed, rows_set_aside, bytes, seconds, verdict, notes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
            // a resumed run writes its results again: the latest attempt's stand
            + " ON CONFLICT (run_id, source_table) DO UPDATE SET target_table = EXCLUDED.target_table,"
            + " rows_read = EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written,"
            + " rows_in_target = EXCLUDED.rows_in_target, rows_fixed = EXCLUDED.rows_fixed,"
            + " rows_set_aside = EXCLUDED.rows_set_aside, bytes = EXCLUDED.bytes, seconds = EXCLUDED.seconds,"
            + " verdict = EXCLUDED.verdict, notes = EXCLUDED.notes",
        run,
        t.source(),
        t.target(),
        t.rowsRead(),
        t.rowsWritten(),
        t.rowsInTarget() < 0 ? null : t.rowsInTarget(),
        t.rowsFixed(),
        t.rowsSetAside(),
        t.bytes(),
        t.seconds(),
        t.verdict(),
        json(t.notes()));
  }

  /**
   * Rows set aside before the load (bad NDJSON lines, repeated keys), kept verbatim: {@code source}
   * hands each to the consumer it is given; they are written in one transaction, in batches.
   */
  void rejects(
      UUID run,
      java.util.function.Consumer<java.util.function.Consumer<FileStores.Reject>> source) {
    target.withRetry(
        "recording set-aside lines in ferry.rejects",
        () -> {
          try (Connection c = dataSource.getConnection();
              PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO ferry.rejects (run_id, source_table, row_key, original_row,"
                          + " reason) VALUES (?, ?, ?::jsonb, ?::jsonb, ?)")) {
            c.setAutoCommit(false);
            int[] pending = {0};
            try {
              source.accept(
                  r -> {
                    try {
                      Map<String, Object> key = new java.util.LinkedHashMap<>();
                      key.put("file", r.file());
                      key.put("line", r.line());
                      ps.setObject(1, run);
                      ps.setString(2, r.table());
                      ps.setString(3, json(key));
                      ps.setString(4, json(Map.of("text", r.text())));
                      ps.setString(5, r.reason());
                      ps.addBatch();
                      if (++pending[0] % 1000 == 0) {
                        ps.executeBatch();
                      }
                    } catch (java.sql.SQLException e) {
                      throw new SqlInConsumer(e);
                    }
                  });
            } catch (SqlInConsumer e) {
              throw e.sql; // retried like any statement of the run's record
            }
            ps.executeBatch();
            c.commit();
            return pending[0];
          }
        });
  }

  /** Carries a SQLException out of a Consumer. */
  private static final class SqlInConsumer extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient java.sql.SQLException sql;

    SqlInConsumer(java.sql.SQLException sql) {
      super(sql);
      this.sql = sql;
    }
  }

  void finish(UUID run, String state, int exitCode, String message) {
    update(
        "UPDATE ferry.runs SET finished_at = now(), state = ?, exit_code = ?, message = ? WHERE run_id = ?",
        state,
        exitCode,
        message,
        run);
  }

  private void update(String sql, Object... args) {
    try {
      target.withRetry(
          "recording the run in ferry.runs",
          () -> {
            try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
              for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
              }
              return ps.executeUpdate();
            }
          });
    } catch (RuntimeException e) {
      if (e instanceof FerryException) {
        throw e;
      }
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot record the run in ferry.runs: " + e.getMessage(),
          e);
    }
  }

  private static String json(Object o) {
    try {
      // jsonb refuses \u0000: a message quoting such a value must still be recordable
      return JSON.writeValueAsString(o).replace("\\u0000", "\\\\0");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
