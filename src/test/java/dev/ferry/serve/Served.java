package dev.ferry.serve;

import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** An explorer started the way {@code ferry serve} starts it: its pool, its app, on a free port. */
final class Served implements AutoCloseable {
  final HikariDataSource pool;
  final Javalin app;

  private Served(HikariDataSource pool, Javalin app) {
    this.pool = pool;
    this.app = app;
  }

  static Served start(ServeOptions options) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HikariDataSource pool = Explorer.readOnlyPool(options, metrics);
    try {
      return new Served(pool, Explorer.listen(Explorer.app(pool, options, metrics), options));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  int port() {
    return app.port();
  }

  String base() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    app.stop();
    pool.close();
  }
}
