package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The migration's evidence from the {@code ferry} schema: {@code GET /api/runs}, {@code
 * /api/runs/ID} (the run and its per-table results), {@code /api/runs/ID/fixups} and {@code
 * /rejects}. A run id that no run has is NOT_FOUND, never an empty list; a database without a ferry
 * schema has no runs.
 */
final class RunsHandler {
  /**
   * The run itself, for its charts: its wall seconds so far (to now while it runs) and the {@code
   * --jobs} it loaded with (null when not recorded): tables overlap when jobs > 1.
   */
  private static final String RUN =
      "SELECT run_id, source, target_schema, state, started_at, finished_at, exit_code,"
          + " extract(epoch FROM coalesce(finished_at, now()) - started_at)::double precision AS"
          + " seconds, CASE WHEN options->>'jobs' ~ '^[0-9]+$' THEN (options->>'jobs')::int END AS"
          + " jobs FROM ferry.runs WHERE run_id = ?";

  private final DataSource db;
  private final JsonOut out;

  RunsHandler(DataSource db, JsonOut out) {
    this.db = db;
    this.out = out;
  }

  void runs(Context ctx) throws SQLException, IOException {
    query(
        ctx,
        null,
        null,
        "SELECT run_id, source, target_schema, state, started_at, finished_at, exit_code, message"
            + " FROM ferry.runs ORDER BY started_at DESC LIMIT 200",
        List.of(),
        "runs");
  }

  void run(Context ctx) throws SQLException, IOException {
    UUID run = runId(ctx);
    query(
        ctx,
        run,
        RUN,
        "SELECT source_table, target_table, rows_read, rows_written, rows_in_target, rows_fixed,"
            + " rows_set_aside, bytes, seconds, verdict, notes FROM ferry.table_results"
            + " WHERE run_id = ? ORDER BY bytes DESC",
        List.of(run),
        "tables");
  }

  void fixups(Context ctx) throws SQLException, IOException {
    evidence(
        ctx,
        "fixups",
        "source_table, target_table, row_key, column_name, original_text, original_base64,"
            + " loaded_value, reason");
  }

  void rejects(Context ctx) throws SQLException, IOException {
    evidence(ctx, "rejects", "source_table, row_key, original_row, reason");
  }

  private void evidence(Context ctx, String which, String columns)
      throws SQLException, IOException {
    UUID run = runId(ctx);
    String table = ctx.queryParam("table");
    int limit = 100;
    if (ctx.queryParam("limit") != null) {
      try {
        limit = Integer.parseInt(ctx.queryParam("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RowQuery.MAX_LIMIT) {
        throw new FerryException(ErrorCode.USAGE, "limit: 1 to " + RowQuery.MAX_LIMIT);
      }
    }
    List<Object> params = new ArrayList<>(List.of(run));
    String sql = "SELECT " + columns + " FROM ferry." + which + " WHERE run_id = ?";
    if (table != null) {
      sql += " AND source_table = ?";
      params.add(table);
    }
    query(ctx, run, null, sql + " LIMIT " + limit, params, which);
  }

  private static UUID runId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("run"));
    } catch (IllegalArgumentException e) {
      throw new FerryException(
          ErrorCode.USAGE, "run: a run id (a UUID, as GET /api/runs lists them)");
    }
  }

  /**
   * A query over the ferry schema as {name: [rows]}; with a {@code run}, NOT_FOUND unless that run
   * was recorded. Without a ferry schema, there are no runs.
   */
  private void query(
      Context ctx, UUID run, String head, String sql, List<Object> params, String name)
      throws SQLException, IOException {
    out.respond(
        ctx,
        "evidence",
        g -> {
          try (Connection c = db.getConnection()) {
            boolean evidence = hasEvidence(c);
            if (run != null && !(evidence && recorded(c, run))) {
              throw new FerryException(
                  ErrorCode.NOT_FOUND, "no run " + run + " (GET /api/runs lists them)");
            }
            g.writeStartObject();
            if (head != null) {
              g.writeFieldName("run");
              rows(c, g, head, List.of(run), true);
            }
            g.writeFieldName(name);
            if (evidence) {
              rows(c, g, sql, params, false);
            } else {
              g.writeStartArray();
              g.writeEndArray();
            }
            g.writeEndObject();
          }
        });
  }

  /** The rows of {@code sql} as an array of objects, or its first row alone when {@code one}. */
  private static void rows(
      Connection c, JsonGenerator g, String sql, List<Object> params, boolean one)
      throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JsonOut.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        if (!one) {
          g.writeStartArray();
        }
        while (rs.next()) {
          g.writeStartObject();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            g.writeFieldName(md.getColumnLabel(i));
            RowWriter.value(g, rs.getString(i), pgType(md.getColumnTypeName(i)));
          }
          g.writeEndObject();
          if (one) {
            return;
          }
        }
        if (!one) {
          g.writeEndArray();
        }
      }
    }
  }

  private static boolean hasEvidence(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('ferry.runs') IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static boolean recorded(Connection c, UUID run) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry.runs WHERE run_id = ?")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String pgType(String jdbcName) {
    return switch (jdbcName) {
      case "int8", "int4", "int2" -> "bigint";
      case "float8", "float4" -> "double precision";
      case "numeric" -> "numeric";
      case "bool" -> "boolean";
      case "jsonb", "json" -> "jsonb";
      default -> "text";
    };
  }
}
