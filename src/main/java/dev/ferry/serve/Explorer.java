package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry serve}: the package's entry point. A read-only REST API and web explorer over a
 * migrated database, with the migration's own evidence (runs, verdicts, fixups, set-aside rows),
 * health and Prometheus metrics. Every request runs in a read-only transaction under a statement
 * timeout; names come from the catalog, values are bound parameters.
 */
public final class Explorer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Explorer.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final ServeOptions options;
  private final HikariDataSource db;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Catalog catalog;
  private final Javalin app;

  private Explorer(ServeOptions options) {
    this.options = options;
    HikariConfig config = new HikariConfig();
    config.setPoolName("explorer");
    config.setJdbcUrl(options.target().jdbcUrl());
    config.setDataSourceProperties(options.target().properties());
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(2);
    config.setReadOnly(true);
    config.setConnectionTimeout(5_000);
    config.setInitializationFailTimeout(1);
    config.setConnectionInitSql(
        "SET default_transaction_read_only = on; SET statement_timeout = "
            + options.statementTimeoutMillis());
    config.setMetricRegistry(metrics);
    try {
      this.db = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to " + options.target().display() + ": " + cause.getMessage(),
          cause);
    }
    this.catalog = new Catalog(db);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.staticFiles.add(
                  s -> {
                    s.hostedPath = "/";
                    s.directory = "/explorer";
                    s.location = Location.CLASSPATH;
                  });
              cfg.http.maxRequestSize = 64 * 1024;
            });
    routes();
  }

  /** Starts serving; returns once the port is open. */
  public static Explorer start(ServeOptions options) {
    Explorer e = new Explorer(options);
    e.app.start(options.bind(), options.port());
    return e;
  }

  /** The port actually bound (when asked for port 0). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    db.close();
  }

  private void routes() {
    app.before(
        ctx -> {
          ctx.attribute("t0", System.nanoTime());
          ctx.header("X-Content-Type-Options", "nosniff");
          ctx.header("Cache-Control", "no-store");
          String p = ctx.path();
          if (options.token() != null && (p.startsWith("/api/") || p.equals("/metrics"))) {
            String h = ctx.header("Authorization");
            String expected = "Bearer " + options.token();
            if (h == null
                || !MessageDigest.isEqual(
                    h.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
              throw new FerryException(
                  ErrorCode.UNAUTHORIZED,
                  "send Authorization: Bearer TOKEN (the --token of ferry serve)");
            }
          }
        });
    app.after(
        ctx -> {
          Long t0 = ctx.attribute("t0");
          if (t0 != null) {
            String route = ctx.endpointHandlerPath();
            Timer.builder("ferry.http.requests")
                .description("HTTP requests by route and status")
                .tag("route", route.isEmpty() ? "static" : route)
                .tag("method", ctx.method().name())
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(metrics)
                .record(Duration.ofNanos(System.nanoTime() - t0));
          }
        });
    app.exception(
        FerryException.class,
        (e, ctx) -> error(ctx, e.code().httpStatus(), e.code().name(), e.getMessage()));
    app.exception(
        SQLException.class,
        (e, ctx) -> {
          String state = e.getSQLState() == null ? "" : e.getSQLState();
          String first =
              e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
          if (state.startsWith("22") || state.equals("42883") || state.equals("42804")) {
            error(ctx, 400, "BAD_VALUE", "a value does not fit its column: " + first);
          } else if (state.equals("57014")) {
            error(
                ctx,
                503,
                "TIMEOUT",
                "the query ran longer than "
                    + options.statementTimeoutMillis()
                    + " ms: narrow it with filters");
          } else if (state.startsWith("08")) {
            error(ctx, 503, "TARGET_UNREACHABLE", "the database is unreachable: " + first);
          } else {
            LOG.error("query failed ({}): {}", state, first);
            error(ctx, 500, "INTERNAL", "the query failed (" + state + "); see the server log");
          }
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("request failed: {} {}", ctx.method(), ctx.path(), e);
          error(ctx, 500, "INTERNAL", "internal error; see the server log");
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            error(
                ctx,
                404,
                "NOT_FOUND",
                "no such endpoint: "
                    + RowQuery.abbreviate(ctx.path())
                    + " (GET /api/openapi.json lists them)");
          }
        });

    app.get("/health", this::health);
    app.get(
        "/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
    app.get(
        "/api/openapi.json",
        ctx ->
            ctx.contentType("application/json")
                .result(getClass().getResourceAsStream("/explorer/openapi.json")));
    app.get("/api/tables", this::tables);
    app.get("/api/tables/{schema}/{table}", this::table);
    app.get("/api/tables/{schema}/{table}/rows", this::rows);
    app.get("/api/tables/{schema}/{table}/row", this::row);
    app.get("/api/tables/{schema}/{table}/export", this::export);
    app.get("/api/runs", this::runs);
    app.get("/api/runs/{run}", this::run);
    app.get("/api/runs/{run}/fixups", ctx -> evidenceRows(ctx, "fixups"));
    app.get("/api/runs/{run}/rejects", ctx -> evidenceRows(ctx, "rejects"));
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(
        json(
            g -> {
              g.writeStartObject();
              g.writeStringField("error", message);
              g.writeStringField("code", code);
              g.writeNumberField("status", status);
              g.writeEndObject();
            }));
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException, SQLException;
  }

  private static byte[] json(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  /**
   * Writes the JSON {@code body} makes and sends it; with a {@code kind}, the time it took is a
   * sample of ferry_db_queries_seconds{kind}.
   */
  private void respond(Context ctx, String kind, Body body) throws SQLException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Timer.Sample sample = kind == null ? null : Timer.start(metrics);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } finally {
      if (sample != null) {
        sample.stop(
            Timer.builder("ferry.db.queries")
                .tag("kind", kind)
                .publishPercentileHistogram()
                .register(metrics));
      }
    }
    ctx.contentType("application/json").result(out.toByteArray());
  }

  private void health(Context ctx) throws IOException, SQLException {
    HikariPoolMXBean pool = db.getHikariPoolMXBean();
    boolean up;
    long t0 = System.nanoTime();
    String problem = null;
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      up = rs.next();
    } catch (SQLException e) {
      up = false;
      problem =
          e.getMessage() == null ? "unreachable" : e.getMessage().lines().findFirst().orElse("");
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    boolean ok = up;
    String why = problem;
    ctx.status(ok ? 200 : 503);
    respond(
        ctx,
        null,
        g -> {
          g.writeStartObject();
          g.writeStringField("status", ok ? "up" : "down");
          g.writeStringField("database", options.target().display());
          g.writeNumberField("database_ms", Math.round(ms * 100) / 100.0);
          if (why != null) {
            g.writeStringField("problem", why);
          }
          g.writeObjectFieldStart("pool");
          g.writeNumberField("active", pool.getActiveConnections());
          g.writeNumberField("idle", pool.getIdleConnections());
          g.writeNumberField("total", pool.getTotalConnections());
          g.writeNumberField("waiting", pool.getThreadsAwaitingConnection());
          g.writeNumberField("max", db.getMaximumPoolSize());
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private void tables(Context ctx) throws IOException, SQLException {
    List<Catalog.Table> all = catalog.tables();
    respond(
        ctx,
        null,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tables");
          for (Catalog.Table t : all) {
            tableJson(g, t, false);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void tableJson(JsonGenerator g, Catalog.Table t, boolean full) throws IOException {
    g.writeStartObject();
    g.writeStringField("schema", t.schema());
    g.writeStringField("name", t.name());
    g.writeStringField("kind", t.kind());
    g.writeObjectFieldStart("rows");
    if (t.rowCount() >= 0) {
      g.writeNumberField("count", t.rowCount());
    } else {
      g.writeNullField("count");
    }
    g.writeStringField("source", t.countSource());
    g.writeEndObject();
    g.writeStringField("verdict", t.verdict());
    g.writeStringField("run", t.runId());
    g.writeArrayFieldStart("primary_key");
    for (String k : t.primaryKey()) {
      g.writeString(k);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("columns");
    for (Catalog.Column c : t.columns()) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeStringField("type", c.type());
      g.writeBooleanField("not_null", c.notNull());
      g.writeEndObject();
    }
    g.writeEndArray();
    if (full) {
      g.writeArrayFieldStart("foreign_keys");
      for (Catalog.ForeignKey fk : t.foreignKeys()) {
        fkJson(g, fk);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("referenced_by");
      for (Map.Entry<Catalog.Table, Catalog.ForeignKey> e : catalog.referencing(t)) {
        g.writeStartObject();
        g.writeStringField("table", e.getKey().schema() + "." + e.getKey().name());
        g.writeArrayFieldStart("columns");
        for (String c : e.getValue().columns()) {
          g.writeString(c);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("indexes");
      for (String i : t.indexes()) {
        g.writeString(i);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void fkJson(JsonGenerator g, Catalog.ForeignKey fk) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", fk.name());
    g.writeArrayFieldStart("columns");
    for (String c : fk.columns()) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeStringField("references", fk.refSchema() + "." + fk.refTable());
    g.writeArrayFieldStart("ref_columns");
    for (String c : fk.refColumns()) {
      g.writeString(c);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private Catalog.Table pathTable(Context ctx) {
    return catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
  }

  private void table(Context ctx) throws IOException, SQLException {
    Catalog.Table t = pathTable(ctx);
    respond(ctx, null, g -> tableJson(g, t, true));
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  private void rows(Context ctx) throws IOException, SQLException {
    Catalog.Table t = pathTable(ctx);
    RowQuery q = new RowQuery(t, ctx.queryParamMap(), false);
    String sql = q.sql;
    List<Object> params = q.bind;
    List<Catalog.Column> cols = t.columns();
    long started = System.nanoTime();
    respond(
        ctx,
        q.search != null ? "search" : "page",
        g -> {
          try (Connection c = db.getConnection();
              PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              g.writeStartObject();
              g.writeStringField("table", t.schema() + "." + t.name());
              g.writeArrayFieldStart("rows");
              int n = 0;
              String lastOrder = null;
              List<String> lastKey = new ArrayList<>();
              boolean more = false;
              while (rs.next()) {
                if (n == q.limit) {
                  more = true;
                  break;
                }
                RowWriter.row(g, rs, cols);
                n++;
                lastKey.clear();
                for (String k : q.key) {
                  lastKey.add(rs.getString(k.equals("ctid") ? "__ferry_ctid" : k));
                }
                lastOrder = q.orderColumn == null ? null : rs.getString(q.orderColumn.name());
              }
              g.writeEndArray();
              long offset = (q.after != null && q.after.isOffset() ? q.after.offset() : 0) + n;
              g.writeStringField("next", more ? q.next(lastOrder, lastKey, offset).encode() : null);
              g.writeNumberField("limit", q.limit);
              g.writeStringField("order", q.order);
              g.writeStringField("paging", q.offsetPaging() ? "offset" : "keyset");
              if (q.search != null) {
                g.writeNumberField("search_candidates_max", RowQuery.SEARCH_CANDIDATES);
              }
              g.writeNumberField("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
              g.writeEndObject();
            }
          }
        });
  }

  private void row(Context ctx) throws IOException, SQLException {
    Catalog.Table t = pathTable(ctx);
    List<String> key = t.primaryKey();
    if (key.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          t.schema() + "." + t.name() + " has no primary key: find rows with /rows and filters");
    }
    List<Object> values = new ArrayList<>();
    StringBuilder where = new StringBuilder();
    for (String k : key) {
      String v = ctx.queryParam(k);
      if (v == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "name the row by its primary key: "
                + String.join(", ", key.stream().map(x -> x + "=VALUE").toList()));
      }
      where
          .append(where.length() == 0 ? "" : " AND ")
          .append(Catalog.quote(k))
          .append(" = CAST(? AS ")
          .append(t.column(k).type())
          .append(')');
      values.add(v);
    }
    respond(
        ctx,
        "detail",
        g -> {
          try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // one read-only snapshot for the row and its neighbours
            Map<String, String> row = new java.util.LinkedHashMap<>();
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT " + columnList(t) + " FROM " + t.qualified() + " WHERE " + where)) {
              bind(ps, values);
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  throw new FerryException(
                      ErrorCode.NOT_FOUND,
                      "no row of " + t.schema() + "." + t.name() + " with that key");
                }
                g.writeStartObject();
                g.writeStringField("table", t.schema() + "." + t.name());
                g.writeFieldName("row");
                RowWriter.row(g, rs, t.columns());
                for (int i = 0; i < t.columns().size(); i++) {
                  row.put(t.columns().get(i).name(), rs.getString(i + 1));
                }
              }
            }
            g.writeArrayFieldStart("references");
            for (Catalog.ForeignKey fk : t.foreignKeys()) {
              Catalog.Table ref;
              try {
                ref = catalog.table(fk.refSchema(), fk.refTable());
              } catch (FerryException e) {
                continue;
              }
              List<Object> vals = new ArrayList<>();
              StringBuilder w = new StringBuilder();
              boolean anyNull = false;
              for (int i = 0; i < fk.columns().size(); i++) {
                String v = row.get(fk.columns().get(i));
                anyNull |= v == null;
                Catalog.Column rc = ref.column(fk.refColumns().get(i));
                w.append(i == 0 ? "" : " AND ")
                    .append(Catalog.quote(rc.name()))
                    .append(" = CAST(? AS ")
                    .append(rc.type())
                    .append(')');
                vals.add(v);
              }
              if (anyNull) {
                continue;
              }
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + columnList(ref)
                          + " FROM "
                          + ref.qualified()
                          + " WHERE "
                          + w
                          + " LIMIT 1")) {
                bind(ps, vals);
                try (ResultSet rs = ps.executeQuery()) {
                  g.writeStartObject();
                  g.writeStringField("constraint", fk.name());
                  g.writeStringField("table", ref.schema() + "." + ref.name());
                  g.writeFieldName("row");
                  if (rs.next()) {
                    RowWriter.row(g, rs, ref.columns());
                  } else {
                    g.writeNull(); // an orphan (NOT VALID foreign key)
                  }
                  g.writeEndObject();
                }
              }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("referenced_by");
            for (Map.Entry<Catalog.Table, Catalog.ForeignKey> e : catalog.referencing(t)) {
              Catalog.Table child = e.getKey();
              Catalog.ForeignKey fk = e.getValue();
              List<Object> vals = new ArrayList<>();
              StringBuilder w = new StringBuilder();
              g.writeStartObject();
              g.writeStringField("table", child.schema() + "." + child.name());
              g.writeObjectFieldStart("filter");
              for (int i = 0; i < fk.columns().size(); i++) {
                Catalog.Column cc = child.column(fk.columns().get(i));
                String v = row.get(fk.refColumns().get(i));
                w.append(i == 0 ? "" : " AND ")
                    .append(Catalog.quote(cc.name()))
                    .append(" = CAST(? AS ")
                    .append(cc.type())
                    .append(')');
                vals.add(v);
                g.writeStringField(cc.name(), "eq." + v);
              }
              g.writeEndObject();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT count(*) FROM (SELECT 1 FROM "
                          + child.qualified()
                          + " WHERE "
                          + w
                          + " LIMIT 10001) x")) {
                bind(ps, vals);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  long n = rs.getLong(1);
                  g.writeNumberField("count", Math.min(n, 10_000));
                  g.writeBooleanField("capped", n > 10_000);
                }
              }
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            c.rollback();
          }
        });
  }

  private static String columnList(Catalog.Table t) {
    return String.join(", ", t.columns().stream().map(c -> Catalog.quote(c.name())).toList());
  }

  /** CSV or NDJSON of a filtered view, streamed through a server-side cursor: constant memory. */
  private void export(Context ctx) throws SQLException, IOException {
    Catalog.Table t = pathTable(ctx);
    String format = ctx.queryParam("format") == null ? "csv" : ctx.queryParam("format");
    if (!format.equals("csv") && !format.equals("ndjson")) {
      throw new FerryException(ErrorCode.USAGE, "format: csv or ndjson");
    }
    RowQuery q = new RowQuery(t, ctx.queryParamMap(), true);
    if (q.search != null) {
      throw new FerryException(
          ErrorCode.USAGE, "export takes filters, not q= (search results are capped)");
    }
    String sql = q.sql;
    List<Object> params = q.bind;
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(1000);
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) { // errors surface here, before any byte is sent
          ctx.contentType(
              format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson");
          ctx.header(
              "Content-Disposition",
              "attachment; filename=\""
                  + t.name().replaceAll("[^A-Za-z0-9_.-]", "_")
                  + "."
                  + format
                  + "\"");
          OutputStream raw = ctx.res().getOutputStream();
          List<Catalog.Column> cols = t.columns();
          if (format.equals("csv")) {
            Writer w = new OutputStreamWriter(raw, StandardCharsets.UTF_8);
            w.write(String.join(",", cols.stream().map(x -> RowWriter.csv(x.name())).toList()));
            w.write("\r\n");
            while (rs.next()) {
              for (int i = 0; i < cols.size(); i++) {
                if (i > 0) {
                  w.write(',');
                }
                w.write(RowWriter.csv(rs.getString(i + 1)));
              }
              w.write("\r\n");
            }
            w.flush();
          } else {
            JsonGenerator g = JSON.createGenerator(raw);
            g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            while (rs.next()) {
              RowWriter.row(g, rs, cols);
            }
            g.writeRaw('\n');
            g.flush();
          }
        }
      } finally {
        c.rollback();
      }
    }
  }

  private boolean hasEvidence(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('ferry.runs') IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private void runs(Context ctx) throws SQLException, IOException {
    query(
        ctx,
        "SELECT run_id, source, target_schema, state, started_at, finished_at, exit_code, message FROM ferry.runs ORDER BY started_at DESC LIMIT 200",
        List.of(),
        "runs");
  }

  private static UUID runId(Context ctx) {
    try {
      return UUID.fromString(ctx.pathParam("run"));
    } catch (IllegalArgumentException e) {
      throw new FerryException(
          ErrorCode.USAGE, "run: a run id (a UUID, as GET /api/runs lists them)");
    }
  }

  private void run(Context ctx) throws SQLException, IOException {
    UUID run = runId(ctx);
    query(
        ctx,
        "SELECT source_table, target_table, rows_read, rows_written, rows_in_target, rows_fixed, rows_set_aside, bytes, seconds, verdict, notes FROM ferry.table_results WHERE run_id = ? ORDER BY bytes DESC",
        List.of(run),
        "tables");
  }

  private void evidenceRows(Context ctx, String which) throws SQLException, IOException {
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
    String cols =
        which.equals("fixups")
            ? "source_table, target_table, row_key, column_name, original_text, original_base64, loaded_value, reason"
            : "source_table, row_key, original_row, reason";
    List<Object> params = new ArrayList<>(List.of(run));
    String sql = "SELECT " + cols + " FROM ferry." + which + " WHERE run_id = ?";
    if (table != null) {
      sql += " AND source_table = ?";
      params.add(table);
    }
    query(ctx, sql + " LIMIT " + limit, params, which);
  }

  /**
   * A query over the ferry schema as {name: [rows]}; empty when the database has no ferry schema.
   */
  private void query(Context ctx, String sql, List<Object> params, String name)
      throws SQLException, IOException {
    respond(
        ctx,
        "evidence",
        g -> {
          try (Connection c = db.getConnection()) {
            g.writeStartObject();
            g.writeArrayFieldStart(name);
            if (hasEvidence(c)) {
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                  var md = rs.getMetaData();
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
