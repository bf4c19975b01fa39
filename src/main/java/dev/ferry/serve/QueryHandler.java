package dev.ferry.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named queries of ferry.yaml ({@link NamedQuery}): {@code GET /api/queries} lists them with
 * their parameters; {@code GET /api/queries/NAME?PARAM=VALUE&format=csv|ndjson} and {@code POST
 * /api/queries/NAME} with {@code {"params": {…}, "format"}} run one, exactly as the SQL console
 * runs a query ({@link SqlHandler#execute}: read-only transaction, statement timeout, at most
 * {@link SqlHandler#MAX_ROWS} rows). A parameter the query does not declare, a required one not
 * given, or a value not of its type is a 400 naming it; an unknown query a 404.
 */
final class QueryHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, NamedQuery> queries = new LinkedHashMap<>();
  private final SqlHandler sql;
  private final JsonOut out;

  QueryHandler(List<NamedQuery> queries, SqlHandler sql, JsonOut out) {
    for (NamedQuery q : queries) { // checked by ServeOptions
      this.queries.put(q.name(), q);
    }
    this.sql = sql;
    this.out = out;
  }

  /** GET /api/queries. */
  void list(Context ctx) throws IOException, SQLException {
    out.respond(
        ctx,
        null,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("queries");
          for (NamedQuery q : queries.values()) {
            g.writeStartObject();
            g.writeStringField("name", q.name());
            g.writeStringField("title", q.title());
            g.writeStringField("description", q.description());
            g.writeStringField("sql", q.sql());
            g.writeArrayFieldStart("params");
            for (NamedQuery.Param p : q.params()) {
              g.writeStartObject();
              g.writeStringField("name", p.name());
              g.writeStringField("type", p.type());
              g.writeStringField("default", p.defaultValue());
              g.writeBooleanField("required", p.required());
              g.writeStringField("description", p.description());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** GET /api/queries/NAME?PARAM=VALUE…&format=…. */
  void get(Context ctx) throws IOException, SQLException {
    NamedQuery q = query(ctx);
    Map<String, String> given = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (e.getKey().equals("format") || (e.getKey().isEmpty() && e.getValue().contains(""))) {
        continue;
      }
      if (e.getValue().size() > 1) {
        throw new FerryException(
            ErrorCode.USAGE, "parameter " + RowQuery.abbreviate(e.getKey()) + ": give it once");
      }
      given.put(e.getKey(), e.getValue().get(0));
    }
    String format = ctx.queryParam("format");
    run(ctx, q, given, format == null ? "json" : format);
  }

  /** POST /api/queries/NAME with {"params": {…}, "format": "json|csv|ndjson"}. */
  void post(Context ctx) throws IOException, SQLException {
    NamedQuery q = query(ctx);
    JsonNode body;
    try {
      body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "query " + q.name() + ": the body is not JSON: {\"params\": {…}}");
    }
    JsonNode p = body == null ? null : body.path("params");
    if (body == null
        || !body.isObject()
        || !(p.isMissingNode() || p.isNull() || p.isObject())
        || !(body.path("format").isMissingNode() || body.path("format").isTextual())) {
      throw new FerryException(
          ErrorCode.USAGE,
          "query "
              + q.name()
              + ": send {\"params\": {\"NAME\": value}, \"format\": \"json\"} (both optional)");
    }
    Map<String, String> given = new LinkedHashMap<>();
    if (p.isObject()) {
      for (Map.Entry<String, JsonNode> e : p.properties()) {
        JsonNode v = e.getValue();
        if (!v.isValueNode()) {
          throw new FerryException(
              ErrorCode.USAGE,
              "parameter " + RowQuery.abbreviate(e.getKey()) + ": a text, number or boolean");
        }
        given.put(e.getKey(), v.isNull() ? null : v.asText());
      }
    }
    run(ctx, q, given, body.path("format").asText("json"));
  }

  private NamedQuery query(Context ctx) {
    String name = ctx.pathParam("name");
    NamedQuery q = queries.get(name);
    if (q == null) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "no query "
              + RowQuery.abbreviate(name)
              + (queries.isEmpty()
                  ? " (none is saved: ferry.yaml queries:, then ferry serve --config ferry.yaml)"
                  : " (GET /api/queries lists them: " + String.join(", ", queries.keySet()) + ")"));
    }
    return q;
  }

  private void run(Context ctx, NamedQuery q, Map<String, String> given, String format)
      throws IOException, SQLException {
    for (String name : given.keySet()) {
      if (q.param(name) == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "query "
                + q.name()
                + " has no parameter '"
                + RowQuery.abbreviate(name)
                + "'"
                + (q.params().isEmpty()
                    ? " (it takes none)"
                    : " (it takes: "
                        + String.join(
                            ", ", q.params().stream().map(NamedQuery.Param::name).toList())
                        + ")"));
      }
    }
    SqlGuard.Checked checked = SqlGuard.check(q.sql());
    List<Object> values = new ArrayList<>();
    for (String name : checked.params()) {
      NamedQuery.Param p = q.param(name);
      String text = given.containsKey(name) ? given.get(name) : p.defaultValue();
      if (text == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "query " + q.name() + ": give parameter " + name + " (" + p.type() + ")");
      }
      values.add(NamedQuery.value(p, text));
    }
    sql.execute(ctx, checked, values, format, q.name());
  }

  List<NamedQuery> queries() {
    return List.copyOf(queries.values());
  }
}
