package dev.ferry.sync;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --metrics-port}: ferry_sync_lag_seconds, ferry_sync_backlog, ferry_sync_applied_total,
 * ferry_sync_errors_total on http://127.0.0.1:PORT/metrics.
 */
final class SyncMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong lagMs = new AtomicLong();
  private final AtomicLong backlog = new AtomicLong();
  private final Counter applied;
  private final Counter errors;
  private final HttpServer server;

  SyncMetrics(int port) throws IOException {
    registry.gauge("ferry_sync_lag_seconds", lagMs, v -> v.get() / 1000.0);
    registry.gauge("ferry_sync_backlog", backlog, AtomicLong::get);
    applied = registry.counter("ferry_sync_applied");
    errors = registry.counter("ferry_sync_errors");
    if (port > 0) {
      server =
          HttpServer.create(
              new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 0);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
              os.write(body);
            }
          });
      server.start();
    } else {
      server = null;
    }
  }

  void observe(long lag, long changes, long appliedSoFar) {
    lagMs.set(lag);
    backlog.set(changes);
  }

  void applied(int n) {
    applied.increment(n);
  }

  void error() {
    errors.increment();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    registry.close();
  }
}
