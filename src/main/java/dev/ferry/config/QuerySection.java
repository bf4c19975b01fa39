package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ferry.yaml's {@code queries:}: named read-only queries {@code ferry serve} offers as pages and as
 * {@code /api/queries/NAME}. Only the shape is checked here (with the line); the SQL and its
 * parameters are checked by {@code ferry serve} when it starts, naming the query and this line.
 *
 * <pre>
 * queries:
 *   tweets_by_language:                  # the name in the URL: letters, digits, _ and -
 *     title: Tweets per language         # the page's heading (optional)
 *     description: since a day, most first
 *     sql: |
 *       SELECT metadata->>'lang' AS lang, count(*) FROM tweets
 *       WHERE created_at >= :since GROUP BY 1 ORDER BY 2 DESC LIMIT :top
 *     params:
 *       since: {type: timestamptz, default: "2024-01-01"}
 *       top: {type: integer, default: 10, description: how many languages}
 *   replies: SELECT * FROM tweets WHERE is_reply AND user_id = :user   # just the SQL
 * </pre>
 *
 * A parameter is {@code {type, default, description}} or just its type; without a default it is
 * required; a {@code :name} the SQL uses and {@code params} does not declare is required text.
 */
final class QuerySection {
  private static final ObjectMapper TREES = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("sql", "title", "description", "params");
  private static final Set<String> PARAM_KEYS = Set.of("type", "default", "description");
  private static final String EXAMPLE =
      "queries: {by_lang: {sql: \"SELECT count(*) FROM tweets WHERE metadata->>'lang' = :lang\","
          + " params: {lang: {type: text, default: en}}}}";

  private QuerySection() {}

  static List<SavedQuery> read(Path file, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(
          file, line(p), "queries: must be a mapping of name: {sql: …}, e.g. '" + EXAMPLE + "'");
    }
    List<SavedQuery> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int at = line(p);
      p.nextToken();
      out.add(query(file, at, name, TREES.readTree(p)));
    }
    return out;
  }

  private static SavedQuery query(Path file, int at, String name, JsonNode q) {
    if (q != null && q.isTextual()) {
      return new SavedQuery(name, null, null, q.asText(), List.of(), at);
    }
    if (q == null || !q.isObject()) {
      throw error(file, at, "query '" + name + "' is its SQL, or {sql: …, params: …}");
    }
    for (Map.Entry<String, JsonNode> e : q.properties()) {
      if (!KEYS.contains(e.getKey())) {
        throw error(
            file,
            at,
            "query '"
                + name
                + "': unknown key '"
                + e.getKey()
                + "'; a query knows sql, title, description, params");
      }
      if (!e.getKey().equals("params") && !e.getValue().isTextual()) {
        throw error(file, at, "query '" + name + "': " + e.getKey() + " must be text");
      }
    }
    if (!q.path("sql").isTextual() || q.path("sql").asText().isBlank()) {
      throw error(file, at, "query '" + name + "' needs sql: SELECT …");
    }
    List<SavedQuery.Param> params = new ArrayList<>();
    JsonNode ps = q.path("params");
    if (!ps.isMissingNode() && !ps.isNull()) {
      if (!ps.isObject()) {
        throw error(
            file,
            at,
            "query '" + name + "': params must map each :name to {type, default, description}");
      }
      for (Map.Entry<String, JsonNode> e : ps.properties()) {
        params.add(param(file, at, name, e.getKey(), e.getValue()));
      }
    }
    return new SavedQuery(
        name, text(q, "title"), text(q, "description"), q.path("sql").asText(), params, at);
  }

  private static SavedQuery.Param param(Path file, int at, String query, String name, JsonNode p) {
    if (p.isTextual()) {
      return new SavedQuery.Param(name, p.asText(), null, null);
    }
    if (p.isNull()) {
      return new SavedQuery.Param(name, null, null, null);
    }
    if (!p.isObject()) {
      throw error(
          file,
          at,
          "query '"
              + query
              + "', parameter '"
              + name
              + "': its type, or {type, default, description}");
    }
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      if (!PARAM_KEYS.contains(e.getKey()) || !e.getValue().isValueNode()) {
        throw error(
            file,
            at,
            "query '"
                + query
                + "', parameter '"
                + name
                + "': '"
                + e.getKey()
                + "' is not a plain value of type, default or description");
      }
    }
    JsonNode d = p.path("default");
    return new SavedQuery.Param(
        name,
        text(p, "type"),
        d.isMissingNode() || d.isNull() ? null : d.asText(),
        text(p, "description"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  private static int line(JsonParser p) {
    return p.currentLocation().getLineNr();
  }

  private static FerryException error(Path file, int line, String what) {
    return new FerryException(ErrorCode.USAGE, file + ":" + line + ": " + what);
  }
}
