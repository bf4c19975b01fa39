package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How every handler answers: JSON written by a streaming generator into a buffer (so a failing
 * query still becomes a clean error), timed as a sample of {@code ferry_db_queries_seconds{kind}};
 * and the one error body, {@code {error, code, status}}, with {@link dev.ferry.ErrorCode}'s HTTP
 * status.
 */
final class JsonOut {
  static final JsonFactory JSON = new JsonFactory();

  /** Writes one JSON document. */
  interface Body {
    void write(JsonGenerator g) throws IOException, SQLException;
  }

  private final MeterRegistry metrics;

  JsonOut(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /**
   * Writes the JSON {@code body} makes and sends it; with a {@code kind}, the time it took is a
   * sample of ferry_db_queries_seconds{kind}.
   */
  void respond(Context ctx, String kind, Body body) throws SQLException, IOException {
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

  /** The error body for {@code e}, with its code's HTTP status. */
  static void error(Context ctx, FerryException e) {
    int status = e.code().httpStatus();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error", e.getMessage());
      g.writeStringField("code", e.code().name());
      g.writeNumberField("status", status);
      g.writeEndObject();
    } catch (IOException never) {
      throw new IllegalStateException(never);
    }
    ctx.status(status).contentType("application/json").result(out.toByteArray());
  }

  /** Binds {@code params} in order, as the SQL's placeholders read them. */
  static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }

  /** A column list or key as a JSON array of names. */
  static void names(JsonGenerator g, String field, List<String> names) throws IOException {
    g.writeArrayFieldStart(field);
    for (String n : names) {
      g.writeString(n);
    }
    g.writeEndArray();
  }
}
