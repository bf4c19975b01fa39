package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The read-only SQL console: {@code POST /api/sql} with {@code {"sql", "params"}} (params: an
 * object of {@code :name} values) → {@code {"columns": [{"name", "type"}], "rows": [[…]],
 * "truncated"}}, and {@code GET /api/sql?sql=…&NAME=VALUE} the same, so a query is a link; {@code
 * format=csv|ndjson} downloads the result instead.
 *
 * <p>{@link SqlGuard} refuses what is not one query; the query then runs in a transaction begun
 * READ ONLY on the explorer's read-only pool, under the statement timeout, and is always rolled
 * back: a statement that would write fails there (SQL state 25006) and is answered 400 naming why.
 * At most {@link #MAX_ROWS} rows are returned ({@code "truncated": true} past that).
 */
final class SqlHandler {
  static final int MAX_ROWS = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DataSource db;
  private final JsonOut out;

  SqlHandler(DataSource db, JsonOut out) {
    this.db = db;
    this.out = out;
  }

  void post(Context ctx) throws IOException, SQLException {
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body());
    } catch (IOException e) {
      throw new FerryException(ErrorCode.USAGE, "sql: the body is not JSON: {\"sql\", \"params\"}");
    }
    if (body == null || !body.isObject() || !body.path("sql").isTextual()) {
      throw new FerryException(
          ErrorCode.USAGE, "sql: send {\"sql\": \"SELECT …\", \"params\": {}}");
    }
    JsonNode p = body.path("params");
    if (!p.isMissingNode() && !p.isNull() && !p.isObject()) {
      throw new FerryException(
          ErrorCode.USAGE, "sql: params is an object of :name values, e.g. {\"lang\": \"en\"}");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (p.isObject()) {
      for (Map.Entry<String, JsonNode> e : p.properties()) {
        params.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
      }
    }
    run(ctx, body.path("sql").asText(), params, body.path("format").asText("json"));
  }

  void get(Context ctx) throws IOException, SQLException {
    Map<String, String> params = new LinkedHashMap<>();
    ctx.queryParamMap()
        .forEach(
            (k, v) -> {
              if (!k.equals("sql") && !k.equals("format") && !v.isEmpty()) {
                params.put(k, v.get(0));
              }
            });
    String format = ctx.queryParam("format");
    run(ctx, ctx.queryParam("sql"), params, format == null ? "json" : format);
  }

  private void run(Context ctx, String sql, Map<String, String> given, String format)
      throws IOException, SQLException {
    if (!List.of("json", "csv", "ndjson").contains(format)) {
      throw new FerryException(ErrorCode.USAGE, "format: json, csv or ndjson");
    }
    SqlGuard.Checked q = SqlGuard.check(sql);
    List<Object> values = new ArrayList<>();
    for (String name : q.params()) {
      if (!given.containsKey(name)) {
        throw new FerryException(
            ErrorCode.USAGE, "sql: no value for :" + RowQuery.abbreviate(name) + " in params");
      }
      values.add(given.get(name));
    }
    execute(ctx, q, values, format, "query");
  }

  /**
   * Runs a checked query with its values in placeholder order (a String or null is typed by the
   * server, as a literal would be; a Long, BigDecimal, Boolean, LocalDate… binds with its own type)
   * in a read-only transaction that is rolled back; answers in {@code format} (json, or a {@code
   * filename.csv|ndjson} attachment). Shared by the console and the named queries.
   */
  void execute(Context ctx, SqlGuard.Checked q, List<Object> values, String format, String filename)
      throws IOException, SQLException {
    if (!List.of("json", "csv", "ndjson").contains(format)) {
      throw new FerryException(ErrorCode.USAGE, "format: json, csv or ndjson");
    }
    long started = System.nanoTime();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION READ ONLY");
      }
      try (PreparedStatement ps = c.prepareStatement(q.jdbc())) {
        ps.setMaxRows(MAX_ROWS + 1);
        ps.setFetchSize(200);
        for (int i = 0; i < values.size(); i++) {
          Object v = values.get(i);
          if (v == null || v instanceof String) {
            ps.setObject(i + 1, v, Types.OTHER); // typed by the server, as a literal
          } else {
            ps.setObject(i + 1, v);
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (format.equals("json")) {
            out.respond(ctx, "sql", g -> json(g, rs, started));
          } else {
            download(ctx, rs, format, filename);
          }
        }
      } catch (SQLException e) {
        throw refused(e);
      } finally {
        c.rollback();
      }
    }
  }

  /** A statement the read-only transaction stopped, or a mistake in the query, as a 400. */
  private static SQLException refused(SQLException e) {
    String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    SqlStates.Kind kind = SqlStates.of(e);
    if (kind == SqlStates.Kind.READ_ONLY) {
      throw new FerryException(
          ErrorCode.USAGE,
          "sql: refused, the console is read-only and this would write: " + first,
          e);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("42")
        || state.startsWith("0A")
        || state.startsWith("22")
        || state.startsWith("2B")) {
      throw new FerryException(ErrorCode.USAGE, "sql: " + first, e);
    }
    return e; // timeouts, a lost connection: as every other request's
  }

  private static List<String> types(ResultSetMetaData md) throws SQLException {
    List<String> types = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      types.add(
          switch (md.getColumnTypeName(i)) {
            case "int2" -> "smallint";
            case "int4" -> "integer";
            case "int8" -> "bigint";
            case "float4" -> "real";
            case "float8" -> "double precision";
            case "bool" -> "boolean";
            default -> md.getColumnTypeName(i);
          });
    }
    return types;
  }

  private static void json(JsonGenerator g, ResultSet rs, long started)
      throws IOException, SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> types = types(md);
    g.writeStartObject();
    g.writeArrayFieldStart("columns");
    for (int i = 1; i <= md.getColumnCount(); i++) {
      g.writeStartObject();
      g.writeStringField("name", md.getColumnLabel(i));
      g.writeStringField("type", types.get(i - 1));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rows");
    int n = 0;
    boolean truncated = false;
    while (rs.next()) {
      if (n == MAX_ROWS) {
        truncated = true;
        break;
      }
      g.writeStartArray();
      for (int i = 1; i <= types.size(); i++) {
        RowWriter.value(g, rs.getString(i), types.get(i - 1));
      }
      g.writeEndArray();
      n++;
    }
    g.writeEndArray();
    g.writeBooleanField("truncated", truncated);
    g.writeNumberField("max_rows", MAX_ROWS);
    g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
    g.writeEndObject();
  }

  /** The result as a CSV or NDJSON attachment (at most {@link #MAX_ROWS} rows). */
  private static void download(Context ctx, ResultSet rs, String format, String filename)
      throws IOException, SQLException {
    ResultSetMetaData md = rs.getMetaData();
    List<String> types = types(md);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      names.add(md.getColumnLabel(i));
    }
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    int n = 0;
    if (format.equals("csv")) {
      Writer w = new OutputStreamWriter(buffer, StandardCharsets.UTF_8);
      w.write(String.join(",", names.stream().map(RowWriter::csv).toList()) + "\r\n");
      while (n++ < MAX_ROWS && rs.next()) {
        for (int i = 1; i <= names.size(); i++) {
          w.write((i > 1 ? "," : "") + RowWriter.csv(rs.getString(i)));
        }
        w.write("\r\n");
      }
      w.flush();
    } else {
      try (JsonGenerator g = JsonOut.JSON.createGenerator(buffer)) {
        g.setRootValueSeparator(null); // each row ends with its own line break
        while (n++ < MAX_ROWS && rs.next()) {
          g.writeStartObject();
          for (int i = 1; i <= names.size(); i++) {
            g.writeFieldName(names.get(i - 1));
            RowWriter.value(g, rs.getString(i), types.get(i - 1));
          }
          g.writeEndObject();
          g.writeRaw('\n');
        }
      }
    }
    ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson");
    ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "." + format + "\"");
    ctx.result(buffer.toByteArray());
  }
}
