package dev.ferry.serve;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.Pool;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import javax.sql.DataSource;

/**
 * {@code ferry serve}: the package's entry point. A read-only REST API and web explorer over a
 * migrated database, with the migration's own evidence (runs, verdicts, fixups, set-aside rows),
 * health and Prometheus metrics. Like Javalin's own examples, the app is a plain function of a
 * {@link DataSource} and the options ({@link #app}); the handlers live in one class per resource.
 * The caller makes the pool ({@link #readOnlyPool}: every session read-only, under the statement
 * timeout), starts the app ({@link #listen}), and stops both.
 */
public final class Explorer {
  private Explorer() {}

  /**
   * The pool {@code ferry serve} reads through: every session opens with {@code
   * default_transaction_read_only = on} and {@code statement_timeout}, so no request can write or
   * run unbounded; its meters report into {@code metrics}. The caller closes it.
   */
  public static HikariDataSource readOnlyPool(ServeOptions options, MeterRegistry metrics) {
    return Pool.on(options.target(), "explorer")
        .size(10, 2)
        .connectTimeout(5_000)
        .readOnly()
        .statementTimeout(options.statementTimeoutMillis())
        .metrics(metrics)
        .open();
  }

  /**
   * The explorer over {@code db}, not yet started: routes, the token and session rule, errors as
   * {@code {error, code, status}}, request metrics into {@code metrics}. {@code db} should be
   * read-only (as {@link #readOnlyPool} makes it); the app never writes.
   */
  public static Javalin app(DataSource db, ServeOptions options, PrometheusMeterRegistry metrics) {
    Catalog catalog = new Catalog(db);
    JsonOut out = new JsonOut(metrics);
    Sessions sessions = new Sessions(options.token());
    Telemetry telemetry = new Telemetry(metrics);
    HealthHandler health = new HealthHandler(db, options.target().display(), out);
    TablesHandler tables = new TablesHandler(catalog, out);
    RowsHandler rows = new RowsHandler(db, catalog, out);
    RowHandler row = new RowHandler(db, catalog, out);
    ExportHandler export = new ExportHandler(db, catalog);
    RunsHandler runs = new RunsHandler(db, out);
    SyncHandler syncs = new SyncHandler(db, out);
    WriteRoutes writes = new WriteRoutes(db, catalog, out, sessions, options);
    CountHandler count = new CountHandler(db, catalog, out, Counts.EXACT_UP_TO);
    SqlHandler sql = new SqlHandler(db, out);
    QueryHandler queries = new QueryHandler(options.queries(), sql, out);
    OpenApi openApi = new OpenApi(catalog, options.write(), options.queries());
    Facets facetCounts = new Facets(db, Facets.SAMPLE_ROWS);
    FacetHandler facets = new FacetHandler(db, catalog, out, facetCounts);
    HistogramHandler histogram = new HistogramHandler(db, catalog, out, Counts.EXACT_UP_TO);
    return Javalin.create(
        cfg -> {
          cfg.startup.showJavalinBanner = false;
          cfg.http.maxRequestSize = 64 * 1024;
          Page.serve(cfg.staticFiles);
          RoutesConfig r = cfg.routes;
          r.before(telemetry::before);
          r.before(writes::guard); // before sessions::check: a write's own rule
          r.before(sessions::check);
          r.after(telemetry::after);
          r.after(facetCounts::afterRequest); // a write makes the shared samples stale
          Errors.install(r, options.statementTimeoutMillis());
          r.get("/health", health::health);
          r.get("/metrics", telemetry::scrape);
          r.get("/api/openapi.json", openApi::serve);
          r.get("/api/session", sessions::status);
          r.post("/api/session", sessions::open);
          r.delete("/api/session", sessions::close);
          r.get("/api/tables", tables::tables);
          r.get("/api/tables/{schema}/{table}", tables::table);
          r.get("/api/tables/{schema}/{table}/rows", rows::rows);
          r.get("/api/tables/{schema}/{table}/row", row::row);
          r.get("/api/tables/{schema}/{table}/export", export::export);
          r.get("/api/tables/{schema}/{table}/count", count::count);
          r.get("/api/tables/{schema}/{table}/facets", facets::facets);
          r.get("/api/tables/{schema}/{table}/facets/suggested", facets::suggested);
          r.get("/api/tables/{schema}/{table}/histogram", histogram::histogram);
          r.get("/api/sql", sql::get);
          r.post("/api/sql", sql::post);
          r.get("/api/queries", queries::list);
          r.get("/api/queries/{name}", queries::get);
          r.post("/api/queries/{name}", queries::post);
          r.get("/api/runs", runs::runs);
          r.get("/api/runs/{run}", runs::run);
          r.get("/api/runs/{run}/fixups", runs::fixups);
          r.get("/api/runs/{run}/rejects", runs::rejects);
          r.get("/api/sync", syncs::syncs);
          writes.install(r);
        });
  }

  /**
   * Starts {@code app} on the options' address and port; a port that is taken is a USAGE error
   * (exit 1) naming it and how to choose another, not a stack trace.
   */
  public static Javalin listen(Javalin app, ServeOptions options) {
    try {
      return app.start(options.bind(), options.port());
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException b) {
          String why = b.getMessage() == null ? "" : b.getMessage();
          throw new FerryException(
              ErrorCode.USAGE,
              "cannot listen on "
                  + options.bind()
                  + " port "
                  + options.port()
                  + " ("
                  + why
                  + (why.contains("in use")
                      ? "): another program uses that port; choose another with --port N"
                          + " (--port 0 picks a free one)"
                      : "): give --bind an address of this machine, or another --port"),
              e);
        }
      }
      throw e;
    }
  }
}
