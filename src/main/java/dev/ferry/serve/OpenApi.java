package dev.ferry.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/openapi.json}: OpenAPI 3.1, made per request from the catalog. The hand-written
 * part (health, metrics, session, runs, the generic table endpoints) is {@code
 * explorer/openapi.json}; this class adds one method per resource: the count, facets and SQL
 * console ({@link #count}, {@link #facets}, {@link #sql}), and for every table and view its own
 * rows and row paths ({@link #rows}, {@link #row}) whose responses are typed by its columns ({@link
 * #rowSchema}) and whose filter, sort, limit and key parameters are declared. Every operation gets
 * an {@code operationId} and the error responses ({@link #errors}). Write operations, when the
 * explorer gets them, belong in a method of their own here.
 *
 * <p>Why over 500 lines: one document, one builder method per operation; the size follows the API.
 */
final class OpenApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern NON_WORD =
      java.util.regex.Pattern.compile("[^A-Za-z0-9]+");
  private static final String ERROR = "#/components/schemas/Error";
  private final Catalog catalog;
  private final ObjectNode base;
  private final boolean write;
  private final java.util.List<NamedQuery> queries;

  OpenApi(Catalog catalog, boolean write, java.util.List<NamedQuery> queries) {
    this.catalog = catalog;
    this.write = write;
    this.queries = queries;
    try (InputStream in = OpenApi.class.getResourceAsStream("/explorer/openapi.json")) {
      this.base = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(Context ctx) {
    ctx.json(document());
  }

  /** The whole document for the tables the catalog holds now. */
  ObjectNode document() {
    ObjectNode doc = base.deepCopy();
    doc.put("openapi", "3.1.0");
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode schemas = doc.withObjectProperty("components").withObjectProperty("schemas");
    ObjectNode error = schemas.putObject("Error").put("type", "object");
    error.putArray("required").add("error").add("code").add("status");
    ObjectNode ep = error.putObject("properties");
    ep.putObject("error").put("type", "string");
    ep.putObject("code").put("type", "string");
    ep.putObject("status").put("type", "integer");
    paths.set("/api/tables/{schema}/{table}/count", count());
    paths.set("/api/tables/{schema}/{table}/facets", facets());
    paths.set("/api/tables/{schema}/{table}/histogram", histogram());
    paths.set("/api/sql", sql());
    paths.set("/api/queries", queryList());
    for (NamedQuery q : queries) {
      paths.set("/api/queries/" + q.name(), query(q));
    }
    for (Catalog.Table t : catalog.tables()) {
      String name = schemaName(t);
      schemas.set(name, rowSchema(t));
      String at = "/api/tables/" + t.schema() + "/" + t.name();
      paths.set(at + "/rows", rows(t, name));
      if (!t.primaryKey().isEmpty()) {
        paths.set(at + "/row", row(t, name));
      }
    }
    if (write) {
      WriteApi.describe(paths); // the write mode's operations, only when they answer
    }
    for (Map.Entry<String, JsonNode> p : paths.properties()) {
      for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
        ObjectNode o = (ObjectNode) op.getValue();
        if (!o.has("operationId")) {
          o.put("operationId", operationId(op.getKey(), p.getKey()));
        }
        errors(o.withObjectProperty("responses"));
      }
    }
    return doc;
  }

  /** {@code getApiTablesSchemaTableRows} from GET /api/tables/{schema}/{table}/rows. */
  static String operationId(String method, String path) {
    StringBuilder b = new StringBuilder(method.toLowerCase(Locale.ROOT));
    for (String part : NON_WORD.splitAsStream(path).toList()) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }

  /** The error responses every operation may give, with the one error body. */
  private static void errors(ObjectNode responses) {
    for (String status : new String[] {"400", "401", "404", "500", "503"}) {
      if (!responses.has(status)) {
        ObjectNode r = responses.putObject(status);
        r.put(
            "description",
            switch (status) {
              case "400" -> "bad parameters (the message says which and why)";
              case "401" -> "the bearer token or a session cookie is required";
              case "404" -> "no such table, row or run";
              case "500" -> "a bug (details in the server log)";
              default -> "the database is unreachable, or the query ran past the timeout";
            });
        r.putObject("content").putObject("application/json").putObject("schema").put("$ref", ERROR);
      }
    }
  }

  private static String schemaName(Catalog.Table t) {
    return "Row_" + (t.schema() + "_" + t.name()).replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** A row of {@code t} as JSON Schema: each column with its JSON type, null when nullable. */
  static ObjectNode rowSchema(Catalog.Table t) {
    ObjectNode s = JSON.createObjectNode().put("type", "object");
    ArrayNode required = s.putArray("required");
    ObjectNode props = s.putObject("properties");
    for (Catalog.Column c : t.columns()) {
      required.add(c.name());
      ObjectNode p = props.putObject(c.name());
      p.put("description", c.type());
      String type = jsonType(c.type());
      if (type == null) {
        continue; // json/jsonb: any JSON value
      }
      if (c.notNull() && !type.equals("integer")) {
        p.put("type", type);
      } else {
        ArrayNode types = p.putArray("type").add(type);
        if (type.equals("integer")) {
          types.add("string"); // beyond 2^53 sent as exact text
        }
        if (!c.notNull()) {
          types.add("null");
        }
      }
    }
    return s;
  }

  /** The JSON type {@link RowWriter} writes for a column type, or null for any JSON. */
  private static String jsonType(String type) {
    return switch (type) {
      case "jsonb", "json" -> null;
      case "bigint", "integer", "smallint" -> "integer";
      case "boolean" -> "boolean";
      default -> "string"; // numeric and floating types too: exact text when a number would lose it
    };
  }

  private static ObjectNode get(String id, String summary) {
    ObjectNode path = JSON.createObjectNode();
    ObjectNode op = path.putObject("get");
    op.put("operationId", id).put("summary", summary);
    op.putArray("parameters");
    op.putObject("responses");
    return path;
  }

  private static ObjectNode param(
      ObjectNode path,
      String method,
      String name,
      String in,
      boolean required,
      String description,
      String type) {
    ObjectNode p = ((ArrayNode) path.get(method).get("parameters")).addObject();
    p.put("name", name).put("in", in).put("required", required).put("description", description);
    p.putObject("schema").put("type", type);
    return p;
  }

  private static void tablePath(ObjectNode path) {
    param(path, "get", "schema", "path", true, "schema name", "string");
    param(path, "get", "table", "path", true, "table or view name", "string");
  }

  private static ObjectNode ok(ObjectNode path, String method, String description) {
    ObjectNode s = ((ObjectNode) path.get(method).get("responses")).putObject("200");
    s.put("description", description);
    return s.putObject("content")
        .putObject("application/json")
        .putObject("schema")
        .put("type", "object");
  }

  private static ObjectNode property(
      ObjectNode schema, String name, String type, boolean required) {
    if (required) {
      schema.withArray("required").add(name);
    }
    ObjectNode p = schema.withObjectProperty("properties").putObject(name);
    if (type != null) {
      p.put("type", type);
    }
    return p;
  }

  /** GET /api/tables/{schema}/{table}/count. */
  static ObjectNode count() {
    ObjectNode path =
        get(
            "countRows",
            "How many rows pass the filters (any query parameter COLUMN=OP.VALUE, as for rows):"
                + " exact up to exact_up_to rows, the planner's estimate beyond (exact: false)");
    tablePath(path);
    ObjectNode s = ok(path, "get", "{count, exact, exact_up_to, ms}");
    property(s, "count", "integer", true);
    property(s, "exact", "boolean", true);
    property(s, "exact_up_to", "integer", true);
    property(s, "ms", "number", false);
    return path;
  }

  /** GET /api/tables/{schema}/{table}/facets. */
  static ObjectNode facets() {
    ObjectNode path =
        get(
            "facetValues",
            "The most common values of a column or JSON path among the rows that pass the filters"
                + " (any other query parameter COLUMN=OP.VALUE); a sample past the count bound"
                + " (estimated: true)");
    tablePath(path);
    param(
        path,
        "get",
        "column",
        "query",
        true,
        "a column, or a JSON path such as metadata->>lang",
        "string");
    ObjectNode s = ok(path, "get", "{column, values, estimated, more, sample_percent, ms}");
    property(s, "column", "string", true);
    ObjectNode value =
        property(s, "values", "array", true).putObject("items").put("type", "object");
    value.putArray("required").add("value").add("count");
    property(value, "value", null, false).putArray("type").add("string").add("null");
    property(value, "count", "integer", false);
    property(s, "estimated", "boolean", true);
    property(s, "more", "boolean", true);
    property(s, "sample_percent", "number", false);
    property(s, "ms", "number", false);
    return path;
  }

  /** GET /api/tables/{schema}/{table}/histogram. */
  static ObjectNode histogram() {
    ObjectNode path =
        get(
            "histogram",
            "How a numeric, date or time column's values are spread among the rows that pass the"
                + " filters (any other query parameter COLUMN=OP.VALUE): buckets of a round width,"
                + " lower <= value < upper, the first and last open-ended; a sample past the count"
                + " bound (estimated: true)");
    tablePath(path);
    param(path, "get", "column", "query", true, "a numeric, date or time column", "string");
    ObjectNode n =
        param(
            path,
            "get",
            "buckets",
            "query",
            false,
            "about how many buckets, 1-" + HistogramHandler.MAX_BUCKETS,
            "integer");
    n.withObjectProperty("schema")
        .put("minimum", 1)
        .put("maximum", HistogramHandler.MAX_BUCKETS)
        .put("default", HistogramHandler.DEFAULT_BUCKETS);
    ObjectNode s = ok(path, "get", "{column, type, kind, buckets, nulls, estimated, ms}");
    property(s, "column", "string", true);
    property(s, "type", "string", true);
    property(s, "kind", "string", true).putArray("enum").add("number").add("time");
    ObjectNode b = property(s, "buckets", "array", true).putObject("items").put("type", "object");
    b.putArray("required").add("lower").add("upper").add("count");
    property(b, "lower", null, false).putArray("type").add("number").add("string");
    property(b, "upper", null, false).putArray("type").add("number").add("string");
    property(b, "count", "integer", false);
    property(s, "nulls", "integer", true);
    property(s, "estimated", "boolean", true);
    property(s, "sample_percent", "number", false);
    property(s, "ms", "number", false);
    return path;
  }

  /** GET and POST /api/sql. */
  static ObjectNode sql() {
    ObjectNode path =
        get(
            "runSqlLink",
            "One read-only query (SELECT, WITH, VALUES, TABLE, EXPLAIN) with :name parameters"
                + " given as query parameters; format=csv|ndjson downloads the result");
    param(path, "get", "sql", "query", true, "the query", "string");
    ObjectNode format =
        param(path, "get", "format", "query", false, "json (default), csv or ndjson", "string");
    format.withObjectProperty("schema").putArray("enum").add("json").add("csv").add("ndjson");
    sqlResult(ok(path, "get", "{columns, rows, truncated, max_rows, ms}"));
    ObjectNode post = path.putObject("post");
    post.put("operationId", "runSql").put("summary", "The same query as JSON: {sql, params}");
    ObjectNode body =
        post.putObject("requestBody")
            .put("required", true)
            .putObject("content")
            .putObject("application/json")
            .putObject("schema")
            .put("type", "object");
    property(body, "sql", "string", true);
    property(body, "params", "object", false)
        .putObject("additionalProperties")
        .putArray("type")
        .add("string")
        .add("number")
        .add("boolean")
        .add("null");
    post.putObject("responses");
    sqlResult(ok(path, "post", "{columns, rows, truncated, max_rows, ms}"));
    return path;
  }

  private static void sqlResult(ObjectNode s) {
    ObjectNode col = property(s, "columns", "array", true).putObject("items").put("type", "object");
    property(col, "name", "string", true);
    property(col, "type", "string", true);
    property(s, "rows", "array", true).putObject("items").put("type", "array");
    property(s, "truncated", "boolean", true);
    property(s, "max_rows", "integer", false);
    property(s, "ms", "number", false);
  }

  /** GET /api/queries: the named queries of ferry.yaml with their parameters. */
  static ObjectNode queryList() {
    ObjectNode path =
        get("listQueries", "The named queries (ferry.yaml queries:) and their parameters");
    ObjectNode s = ok(path, "get", "{queries}");
    ObjectNode q = property(s, "queries", "array", true).putObject("items").put("type", "object");
    property(q, "name", "string", true);
    property(q, "title", "string", true);
    property(q, "description", null, false).putArray("type").add("string").add("null");
    property(q, "sql", "string", true);
    ObjectNode p = property(q, "params", "array", true).putObject("items").put("type", "object");
    property(p, "name", "string", true);
    property(p, "type", "string", true)
        .putArray("enum")
        .addAll(NamedQuery.TYPES.stream().map(JSON.getNodeFactory()::textNode).toList());
    property(p, "default", null, false).putArray("type").add("string").add("null");
    property(p, "required", "boolean", true);
    property(p, "description", null, false).putArray("type").add("string").add("null");
    return path;
  }

  /**
   * GET and POST /api/queries/NAME for one named query: its parameters declared with their types
   * and defaults, the result as the SQL console's.
   */
  static ObjectNode query(NamedQuery q) {
    String id = operationId("query", q.name());
    String summary = q.title() + (q.description() == null ? "" : ": " + q.description());
    ObjectNode path = get(id, summary);
    ObjectNode post = path.putObject("post");
    post.put("operationId", id + "Post").put("summary", summary + " (parameters as JSON)");
    ObjectNode body =
        post.putObject("requestBody")
            .put("required", false)
            .putObject("content")
            .putObject("application/json")
            .putObject("schema")
            .put("type", "object");
    ObjectNode params = property(body, "params", "object", false);
    params.put("additionalProperties", false);
    ObjectNode format = property(body, "format", "string", false);
    format.putArray("enum").add("json").add("csv").add("ndjson");
    for (NamedQuery.Param p : q.params()) {
      ObjectNode schema = paramSchema(p);
      if (p.required()) {
        params.withArray("required").add(p.name());
      }
      params.withObjectProperty("properties").set(p.name(), schema.deepCopy());
      ObjectNode declared =
          param(
              path,
              "get",
              p.name(),
              "query",
              p.required(),
              (p.description() == null ? "" : p.description() + "; ") + p.type(),
              "string");
      declared.set("schema", schema);
    }
    ObjectNode f =
        param(path, "get", "format", "query", false, "json (default), csv or ndjson", "string");
    f.withObjectProperty("schema").putArray("enum").add("json").add("csv").add("ndjson");
    post.putObject("responses");
    sqlResult(ok(path, "get", "{columns, rows, truncated, max_rows, ms}"));
    sqlResult(ok(path, "post", "{columns, rows, truncated, max_rows, ms}"));
    return path;
  }

  /** A parameter's JSON Schema: its JSON type (text for times), format and default. */
  private static ObjectNode paramSchema(NamedQuery.Param p) {
    ObjectNode s = JSON.createObjectNode();
    switch (p.type()) {
      case "integer", "bigint" -> s.put("type", "integer");
      case "numeric", "double precision" -> s.put("type", "number");
      case "boolean" -> s.put("type", "boolean");
      case "date" -> s.put("type", "string").put("format", "date");
      case "timestamptz" -> s.put("type", "string").put("format", "date-time");
      default -> s.put("type", "string");
    }
    if (p.defaultValue() != null) {
      Object v = NamedQuery.value(p, p.defaultValue());
      s.set(
          "default",
          v instanceof Number || v instanceof Boolean
              ? JSON.valueToTree(v)
              : JSON.getNodeFactory().textNode(p.defaultValue()));
    }
    return s;
  }

  /** GET /api/tables/S/T/rows for one table: its columns as filters, order and the row type. */
  static ObjectNode rows(Catalog.Table t, String schemaName) {
    ObjectNode path =
        get(
            operationId("rows", t.schema() + " " + t.name()),
            "A page of " + t.schema() + "." + t.name() + ", filtered, sorted or searched");
    param(path, "get", "limit", "query", false, "rows per page, 1-1000 (default 50)", "integer");
    ObjectNode order =
        param(path, "get", "order", "query", false, "COLUMN or COLUMN.desc", "string");
    ArrayNode orders = order.withObjectProperty("schema").putArray("enum");
    for (Catalog.Column c : t.columns()) {
      orders.add(c.name()).add(c.name() + ".desc");
    }
    param(path, "get", "after", "query", false, "the next cursor of the previous page", "string");
    param(path, "get", "q", "query", false, "text search over at most 200 candidates", "string");
    for (Catalog.Column c : t.columns()) {
      ObjectNode f =
          param(
              path,
              "get",
              c.name(),
              "query",
              false,
              "filter on "
                  + c.name()
                  + " ("
                  + c.type()
                  + "): OP.VALUE with eq neq gt gte lt lte like ilike in is"
                  + (c.jsonb() ? " cs; JSON fields as " + c.name() + "->>key" : "")
                  + ", not. before any",
              "string");
      f.withObjectProperty("schema")
          .put("pattern", "^(not\\.)?(eq|neq|gt|gte|lt|lte|like|ilike|in|is|cs)\\..*$");
    }
    ObjectNode s = ok(path, "get", "{table, rows, next, limit, order, paging, ms}");
    property(s, "table", "string", true);
    property(s, "rows", "array", true)
        .putObject("items")
        .put("$ref", "#/components/schemas/" + schemaName);
    property(s, "next", null, true).putArray("type").add("string").add("null");
    property(s, "limit", "integer", true);
    property(s, "order", "string", true);
    property(s, "paging", "string", true).putArray("enum").add("keyset").add("offset");
    property(s, "ms", "number", false);
    property(s, "search_candidates_max", "integer", false)
        .put("description", "with q: the matches ranked, the first in key or requested order");
    property(s, "search_matches", "integer", false)
        .put("description", "with q: rows matched (see search_matches_exact and _estimated)");
    property(s, "search_matches_exact", "boolean", false)
        .put("description", "false when counting stopped at a bound or the count is estimated");
    property(s, "search_matches_estimated", "boolean", false)
        .put("description", "true when search_matches is the planner's estimate");
    return path;
  }

  /** GET /api/tables/S/T/row for one table: its key columns as required parameters. */
  static ObjectNode row(Catalog.Table t, String schemaName) {
    ObjectNode path =
        get(
            operationId("row", t.schema() + " " + t.name()),
            "One row of "
                + t.schema()
                + "."
                + t.name()
                + " by its primary key, with its references");
    for (String k : t.primaryKey()) {
      param(
          path,
          "get",
          k,
          "query",
          true,
          "key column " + k + " (" + t.column(k).type() + ")",
          "string");
    }
    ObjectNode s = ok(path, "get", "{table, row, references, referenced_by}");
    property(s, "table", "string", true);
    property(s, "row", null, true).put("$ref", "#/components/schemas/" + schemaName);
    property(s, "references", "array", true).putObject("items").put("type", "object");
    property(s, "referenced_by", "array", true).putObject("items").put("type", "object");
    return path;
  }
}
