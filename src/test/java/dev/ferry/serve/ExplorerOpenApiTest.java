package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is precise enough to be a client: a small client made from it calls every
 * GET operation of every table (filling the declared parameters from the document alone) and checks
 * each answer against the declared response schema; every operation has a unique operationId and
 * its error responses.
 */
class ExplorerOpenApiTest {
  private static ExplorerFixture f;
  private static JsonNode doc;

  @BeforeAll
  static void serve() throws Exception {
    f = ExplorerFixture.get();
    doc = f.get("/api/openapi.json").json();
  }

  @Test
  void everyOperationHasAUniqueIdAndItsErrorResponses() {
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : p.getValue().properties()) {
        String id = op.getValue().path("operationId").asText();
        assertThat(id).as(op.getKey() + " " + p.getKey()).matches("[A-Za-z][A-Za-z0-9_]*");
        assertThat(ids.add(id)).as("duplicate operationId " + id).isTrue();
        assertThat(op.getValue().get("responses").has("400")).isTrue();
        assertThat(op.getValue().get("responses").get("400").toString()).contains("Error");
      }
    }
    assertThat(ids).contains("runSql", "countRows", "facetValues", "rowsPublicTweets");
  }

  @Test
  void aClientMadeFromTheDocumentGetsAnswersThatMatchTheDeclaredSchemas() throws Exception {
    int called = 0;
    for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
      String path = p.getKey();
      JsonNode get = p.getValue().get("get");
      if (get == null || path.contains("{") || !path.startsWith("/api/tables/public/")) {
        continue;
      }
      // the declared parameters: required key columns are filled from the first row of the table
      List<String> query = new ArrayList<>();
      String table = path.substring(0, path.lastIndexOf('/'));
      for (JsonNode param : get.path("parameters")) {
        if (param.path("required").asBoolean()) {
          String name = param.get("name").asText();
          JsonNode first = f.get(table + "/rows?limit=1").json().get("rows").get(0);
          if (first == null) {
            query = null;
            break;
          }
          String v =
              first.get(name).isTextual() ? first.get(name).asText() : first.get(name).toString();
          query.add(name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
      }
      if (query == null) {
        continue; // an empty table has no row to ask for
      }
      ExplorerFixture.Response r = f.get(path + "?" + String.join("&", query));
      assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
      JsonNode schema = get.at("/responses/200/content/application~1json/schema");
      List<String> problems = new ArrayList<>();
      check(schema, r.json(), path, problems);
      assertThat(problems).as(path).isEmpty();
      called++;
    }
    assertThat(called).isGreaterThan(10);
    // the generic operations, with a table filled in
    for (String[] call :
        new String[][] {
          {
            "/api/tables/{schema}/{table}/count", "/api/tables/public/tweets/count?is_reply=is.true"
          },
          {
            "/api/tables/{schema}/{table}/facets",
            "/api/tables/public/tweets/facets?column=is_reply"
          },
          {"/api/sql", "/api/sql?sql=SELECT%201%20AS%20one"}
        }) {
      JsonNode schema =
          doc.get("paths").get(call[0]).at("/get/responses/200/content/application~1json/schema");
      List<String> problems = new ArrayList<>();
      check(schema, f.get(call[1]).json(), call[1], problems);
      assertThat(problems).isEmpty();
    }
    // and an error matches the error schema
    JsonNode error =
        doc.get("paths")
            .get("/api/tables/public/tweets/rows")
            .at("/get/responses/400/content/application~1json/schema");
    List<String> problems = new ArrayList<>();
    check(error, f.get("/api/tables/public/tweets/rows?limit=0").json(), "error", problems);
    assertThat(problems).isEmpty();
  }

  @Test
  void aRowThatBreaksItsSchemaIsCaught() throws Exception {
    // the checker itself: a wrong type and a missing column are both found
    JsonNode schema = doc.at("/components/schemas/Row_public_tweets");
    JsonNode row = f.get("/api/tables/public/tweets/rows?limit=1").json().get("rows").get(0);
    com.fasterxml.jackson.databind.node.ObjectNode bad =
        ((com.fasterxml.jackson.databind.node.ObjectNode) row.deepCopy());
    bad.put("is_reply", "yes");
    bad.remove("text");
    List<String> problems = new ArrayList<>();
    check(schema, bad, "row", problems);
    assertThat(problems).hasSize(2);
  }

  /**
   * A small JSON Schema checker: $ref, type (one or several), required, properties, items, enum.
   */
  private static void check(JsonNode schema, JsonNode v, String at, List<String> problems) {
    check(doc, schema, v, at, problems);
  }

  /** The same checker over any OpenAPI document {@code root} (its $refs resolve there). */
  static void check(JsonNode root, JsonNode schema, JsonNode v, String at, List<String> problems) {
    if (schema.has("$ref")) {
      check(root, root.at(schema.get("$ref").asText().substring(1)), v, at, problems);
      return;
    }
    if (schema.has("type")) {
      List<String> types = new ArrayList<>();
      if (schema.get("type").isArray()) {
        schema.get("type").forEach(t -> types.add(t.asText()));
      } else {
        types.add(schema.get("type").asText());
      }
      if (types.stream().noneMatch(t -> is(t, v))) {
        problems.add(at + ": " + v + " is not " + types);
        return;
      }
    }
    if (schema.has("enum") && !v.isNull()) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(v);
      }
      if (!found) {
        problems.add(at + ": " + v + " not in " + schema.get("enum"));
      }
    }
    if (v.isObject()) {
      for (JsonNode r : schema.path("required")) {
        if (!v.has(r.asText())) {
          problems.add(at + ": no " + r.asText());
        }
      }
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        if (v.has(p.getKey())) {
          check(root, p.getValue(), v.get(p.getKey()), at + "." + p.getKey(), problems);
        }
      }
    }
    if (v.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode x : v) {
        check(root, schema.get("items"), x, at + "[" + i++ + "]", problems);
      }
    }
  }

  private static boolean is(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }
}
