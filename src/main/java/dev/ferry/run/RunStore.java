package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The {@code ferry} schema in the target: every run and its per-table results. Its own tables are
 * created and evolved by Flyway (history in ferry.schema_history), never by hand.
 */
final class RunStore {
  static final String SCHEMA = "ferry";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final dev.ferry.target.PostgresTarget target;

  RunStore(dev.ferry.target.PostgresTarget target) {
    this.target = target;
    this.dataSource = target.dataSource();
    try {
      Flyway.configure(RunStore.class.getClassLoader())
          .dataSource(dataSource)
          .schemas(SCHEMA)
          .createSchemas(true)
          .table("schema_history")
          .locations("classpath:db/ferry")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot create or update the ferry metadata schema: " + e.getMessage(),
          e);
    }
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
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
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
