package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * {@code GET /health}: up or down (503) by one {@code SELECT 1}, its time, and the pool's state.
 */
final class HealthHandler {
  private final DataSource db;
  private final String database;
  private final JsonOut out;

  HealthHandler(DataSource db, String database, JsonOut out) {
    this.db = db;
    this.database = database;
    this.out = out;
  }

  void health(Context ctx) throws IOException, SQLException {
    long t0 = System.nanoTime();
    String problem = null;
    boolean up;
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
    out.respond(
        ctx,
        null,
        g -> {
          g.writeStartObject();
          g.writeStringField("status", ok ? "up" : "down");
          g.writeStringField("database", database);
          g.writeNumberField("database_ms", Math.round(ms * 100) / 100.0);
          if (why != null) {
            g.writeStringField("problem", why);
          }
          if (db instanceof HikariDataSource pool) {
            pool(g, pool);
          }
          g.writeEndObject();
        });
  }

  private static void pool(JsonGenerator g, HikariDataSource db) throws IOException {
    HikariPoolMXBean pool = db.getHikariPoolMXBean();
    g.writeObjectFieldStart("pool");
    g.writeNumberField("active", pool.getActiveConnections());
    g.writeNumberField("idle", pool.getIdleConnections());
    g.writeNumberField("total", pool.getTotalConnections());
    g.writeNumberField("waiting", pool.getThreadsAwaitingConnection());
    g.writeNumberField("max", db.getMaximumPoolSize());
    g.writeEndObject();
  }
}
