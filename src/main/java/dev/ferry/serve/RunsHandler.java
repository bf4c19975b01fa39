package dev.ferry.serve;

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
 * /api/runs/ID} (per-table results), {@code /api/runs/ID/fixups} and {@code /rejects}. A run id
 * that no run has is NOT_FOUND, never an empty list; a database without a ferry schema has no runs.
 */
final class RunsHandler {
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
    query(ctx, run, sql + " LIMIT " + limit, params, which);
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
  private void query(Context ctx, UUID run, String sql, List<Object> params, String name)
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
            g.writeArrayFieldStart(name);
            if (evidence) {
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                JsonOut.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                  ResultSetMetaData md = rs.getMetaData();
                  while (rs.next()) {
                    g.writeStartObject();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                      g.writeFieldName(md.getColumnLabel(i));
                      RowWriter.value(g, rs.getString(i), pgType(md.getColumnTypeName(i)));
                    }
                    g.writeEndObject();
                  }
                }
              }
            }
            g.writeEndArray();
            g.writeEndObject();
          }
        });
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
