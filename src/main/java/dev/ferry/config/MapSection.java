package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.map.TableMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ferry.yaml's {@code map:}: where source tables go in a schema the user designed. Only its shape
 * is checked here (with the line); whether the tables and columns exist is checked against the
 * source and the target's catalog at start ({@code map.Mappings.resolve}).
 *
 * <pre>
 * map:
 *   tweets:
 *     into: app.posts                 # schema.table (public when no schema is given)
 *     columns: {text: body}           # source → target; same name when omitted
 *     drop: [url]                     # not carried, listed in the report
 *     set: {status: live}             # constants for target columns
 *     transform: {score: empty_as_null, created_at: {date: "EEE, dd MMM yyyy HH:mm:ss Z"}}
 * </pre>
 */
final class MapSection {
  private static final ObjectMapper TREES = new ObjectMapper();
  private static final Set<String> KEYS =
      Set.of("into", "create", "columns", "drop", "set", "transform");
  private static final String EXAMPLE =
      "map: {tweets: {into: app.posts, columns: {text: body}, drop: [url], set: {status: live}}}";

  private MapSection() {}

  static List<TableMapping> read(Path file, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(
          file,
          line(p),
          "map: must be a mapping of source table: {into: …}, e.g. '" + EXAMPLE + "'");
    }
    List<TableMapping> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String table = p.currentName();
      int at = line(p);
      p.nextToken();
      JsonNode entry = TREES.readTree(p);
      out.add(entry(file, at, table, entry));
    }
    return out;
  }

  private static TableMapping entry(Path file, int at, String table, JsonNode entry) {
    String where = "map." + table;
    if (entry == null || !entry.isObject()) {
      throw error(
          file, at, where + " must be a mapping with into: schema.table, e.g. '" + EXAMPLE + "'");
    }
    for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw error(
            file,
            at,
            "unknown key "
                + where
                + "."
                + key
                + "; a mapping knows into, create, columns, drop, set, transform");
      }
    }
    JsonNode into = entry.get("into");
    if (into == null || !into.isTextual() || into.asText().isBlank()) {
      throw error(file, at, where + ".into must name the target table, e.g. 'into: app.posts'");
    }
    String target = into.asText().trim();
    int dot = target.indexOf('.');
    String schema = dot > 0 ? target.substring(0, dot) : "public";
    String name = dot > 0 ? target.substring(dot + 1) : target;
    JsonNode create = entry.get("create");
    if (create != null && !create.isBoolean()) {
      throw error(file, at, where + ".create must be true or false");
    }
    return new TableMapping(
        table,
        schema,
        name,
        create != null && create.asBoolean(),
        names(file, at, where + ".columns", entry.get("columns")),
        list(file, at, where + ".drop", entry.get("drop")),
        constants(file, at, where + ".set", entry.get("set")),
        transforms(file, at, where + ".transform", entry.get("transform")),
        at);
  }

  private static Map<String, String> names(Path file, int at, String where, JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw error(file, at, where + " must map source column: target column, e.g. '{text: body}'");
    }
    node.properties()
        .iterator()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isTextual()) {
                throw error(
                    file, at, where + "." + e.getKey() + " must name a target column, e.g. 'body'");
              }
              out.put(e.getKey(), e.getValue().asText());
            });
    return out;
  }

  private static List<String> list(Path file, int at, String where, JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw error(file, at, where + " must be a list of source columns, e.g. '[url, lang]'");
    }
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<String, String> constants(Path file, int at, String where, JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw error(file, at, where + " must map target column: constant, e.g. '{status: draft}'");
    }
    node.properties()
        .iterator()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isContainerNode()) {
                out.put(e.getKey(), v.toString()); // a JSON constant for a json/jsonb column
              } else {
                out.put(e.getKey(), v.isNull() ? null : v.asText());
              }
            });
    return out;
  }

  private static Map<String, Object> transforms(Path file, int at, String where, JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw error(
          file, at, where + " must map source column: transform, e.g. '{score: empty_as_null}'");
    }
    node.properties()
        .iterator()
        .forEachRemaining(e -> out.put(e.getKey(), TREES.convertValue(e.getValue(), Object.class)));
    return out;
  }

  private static int line(JsonParser p) {
    return p.currentLocation().getLineNr();
  }

  private static FerryException error(Path file, int line, String what) {
    return new FerryException(ErrorCode.USAGE, file + ":" + line + ": " + what);
  }
}
