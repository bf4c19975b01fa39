package dev.ferry.serve;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Every request's duration as {@code ferry_http_requests_seconds{route, method, status}}, the
 * headers every answer carries, and {@code GET /metrics} (Prometheus text, with HikariCP's pool
 * meters when the pool reports into the same registry).
 */
final class Telemetry {
  private static final String STARTED = "ferry.t0";
  private final PrometheusMeterRegistry metrics;

  /**
   * The page's own scripts, styles and API only: no inline script or style (so an injected value
   * that slipped past escaping could not run), no framing by another site, no form posted away.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  Telemetry(PrometheusMeterRegistry metrics) {
    this.metrics = metrics;
  }

  void before(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
  }

  void after(Context ctx) {
    Long t0 = ctx.attribute(STARTED);
    if (t0 == null) {
      return;
    }
    Endpoint e = ctx.endpoints().matchedHttpEndpoint();
    Timer.builder("ferry.http.requests")
        .description("HTTP requests by route and status")
        .tag("route", e == null ? "static" : e.path)
        .tag("method", ctx.method().name())
        .tag("status", Integer.toString(ctx.statusCode()))
        .publishPercentileHistogram()
        .register(metrics)
        .record(Duration.ofNanos(System.nanoTime() - t0));
  }

  void scrape(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape());
  }
}
