package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.FerryException;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Named queries (ferry.yaml {@code queries:}): listed with their parameters, run like the SQL
 * console with their parameters bound (defaults when not given), answered as JSON, CSV or NDJSON,
 * declared in the OpenAPI document; a bad parameter is a 400 naming it, whatever its value, and a
 * query the console would refuse stops {@code ferry serve} at start, naming the query.
 */
class ExplorerQueriesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ExplorerFixture f;

  @BeforeAll
  static void serve() throws Exception {
    f = ExplorerFixture.get();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static ExplorerFixture.Response post(String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(f.base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ExplorerFixture.Response(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  /** The oracle: the ids PostgreSQL gives for the same query written by hand. */
  private static List<String> ids(String lang, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = TestPostgres.connect(f.url);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM tweets WHERE metadata->>'lang' = ? ORDER BY id LIMIT ?")) {
      ps.setString(1, lang);
      ps.setInt(2, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static List<String> column(JsonNode result, int i) {
    List<String> out = new ArrayList<>();
    result.get("rows").forEach(r -> out.add(r.get(i).asText()));
    return out;
  }

  @Test
  void theQueriesAreListedWithTheirParametersTypesAndDefaults() throws Exception {
    JsonNode list = f.get("/api/queries").json().get("queries");
    assertThat(list).hasSize(2);
    JsonNode byLang = list.get(0);
    assertThat(byLang.get("name").asText()).isEqualTo("by_lang");
    assertThat(byLang.get("title").asText()).isEqualTo("Tweets in a language");
    assertThat(byLang.get("params").toString())
        .isEqualTo(
            "[{\"name\":\"lang\",\"type\":\"text\",\"default\":\"en\",\"required\":false,"
                + "\"description\":\"a language code\"},{\"name\":\"n\",\"type\":\"integer\","
                + "\"default\":\"20\",\"required\":false,\"description\":\"how many\"}]");
    // a :name nobody declared is required text; the title defaults to the name
    JsonNode user = list.get(1);
    assertThat(user.get("title").asText()).isEqualTo("user_tweets");
    assertThat(user.get("params").get(0).get("required").asBoolean()).isTrue();
    assertThat(user.get("params").get(0).get("type").asText()).isEqualTo("text");
  }

  @Test
  void aQueryAnswersWhatPostgresAnswersForAnyParametersAndItsDefaults() throws Exception {
    assertThat(column(f.get("/api/queries/by_lang").json(), 0)).isEqualTo(ids("en", 20));
    Random random = new Random(15);
    for (String lang : List.of("fr", "ja", "de", "es", "xx")) {
      int n = 1 + random.nextInt(40);
      JsonNode got = f.get("/api/queries/by_lang?lang=" + lang + "&n=" + n).json();
      assertThat(column(got, 0)).as(lang).isEqualTo(ids(lang, n));
      JsonNode posted =
          post(
                  "/api/queries/by_lang",
                  "{\"params\": {\"lang\": \"" + lang + "\", \"n\": " + n + "}}")
              .json();
      assertThat(posted.get("rows")).isEqualTo(got.get("rows"));
    }
    JsonNode columns = f.get("/api/queries/by_lang?n=1").json().get("columns");
    assertThat(columns.toString()).contains("\"name\":\"id\"").contains("\"name\":\"user_id\"");
  }

  @Test
  void resultsDownloadAsCsvAndNdjsonNamedAfterTheQuery() throws Exception {
    ExplorerFixture.Response csv = f.get("/api/queries/by_lang?lang=fr&n=3&format=csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id,user_id,text");
    assertThat(
            lines.subList(1, lines.size()).stream()
                .map(l -> l.substring(0, l.indexOf(',')))
                .toList())
        .isEqualTo(ids("fr", 3));
    HttpResponse<String> nd =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(f.base + "/api/queries/by_lang?lang=fr&n=3&format=ndjson"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(nd.headers().firstValue("Content-Disposition").orElse(""))
        .contains("by_lang.ndjson");
    assertThat(nd.body().lines()).hasSize(3);
  }

  @Test
  void hostileValuesAreBoundNeverConcatenatedAndBadOnesNameTheParameter() throws Exception {
    for (String evil :
        List.of("'; DELETE FROM tweets; --", "en' OR '1'='1", "\\", ":n", "$1", "en\u0000")) {
      ExplorerFixture.Response r = f.get("/api/queries/by_lang?lang=" + enc(evil));
      assertThat(r.status()).as(evil + " " + r.body()).isIn(200, 400);
      if (r.status() == 200) {
        assertThat(r.json().get("rows")).as(evil).isEmpty();
      }
    }
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
    for (String bad : List.of("abc", "1.5", "99999999999", "", "1; --")) {
      ExplorerFixture.Response r = f.get("/api/queries/by_lang?n=" + enc(bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(bad).startsWith("parameter n: ");
    }
    ExplorerFixture.Response unknown = f.get("/api/queries/by_lang?lnag=fr");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("error").asText())
        .isEqualTo("query by_lang has no parameter 'lnag' (it takes: lang, n)");
    ExplorerFixture.Response missing = f.get("/api/queries/user_tweets");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("error").asText())
        .isEqualTo("query user_tweets: give parameter user (text)");
    ExplorerFixture.Response none = f.get("/api/queries/nope");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.json().get("error").asText()).contains("by_lang, user_tweets");
    assertThat(post("/api/queries/by_lang", "{\"params\": [1]}").status()).isEqualTo(400);
    assertThat(post("/api/queries/by_lang", "not json").status()).isEqualTo(400);
    assertThat(post("/api/queries/by_lang", "{\"params\": {\"n\": {\"x\": 1}}}").status())
        .isEqualTo(400);
  }

  @Test
  void aQueryThatWouldWriteIsRefusedByTheReadOnlyTransaction() throws Exception {
    NamedQuery sneaky =
        new NamedQuery(
            "sneaky",
            null,
            null,
            "WITH d AS (DELETE FROM tweets RETURNING 1) SELECT count(*) FROM d",
            List.of(),
            "test");
    try (Served e =
        Served.start(
            new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000, false, List.of(sneaky)))) {
      ExplorerFixture.Response r = ExplorerFixture.fetch(e.base() + "/api/queries/sneaky");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).contains("read-only");
    }
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
  }

  @Test
  void theOpenApiDocumentDeclaresEachQueryWithItsParameters() throws Exception {
    JsonNode paths = f.get("/api/openapi.json").json().get("paths");
    assertThat(paths.get("/api/queries").get("get").get("operationId").asText())
        .isEqualTo("listQueries");
    JsonNode q = paths.get("/api/queries/by_lang");
    assertThat(q.get("get").get("operationId").asText()).isEqualTo("queryByLang");
    assertThat(q.get("post").get("operationId").asText()).isEqualTo("queryByLangPost");
    JsonNode n = null;
    for (JsonNode p : q.get("get").get("parameters")) {
      if (p.get("name").asText().equals("n")) {
        n = p;
      }
    }
    assertThat(n).isNotNull();
    assertThat(n.get("required").asBoolean()).isFalse();
    assertThat(n.get("schema").toString()).isEqualTo("{\"type\":\"integer\",\"default\":20}");
    JsonNode user = paths.get("/api/queries/user_tweets").get("post").get("requestBody");
    assertThat(user.toString()).contains("\"required\":[\"user\"]");
  }

  @Test
  void aQueryTheConsoleWouldRefuseStopsTheServerNamingIt() {
    record Bad(String sql, List<NamedQuery.Param> params, String message) {}
    List<Bad> bad =
        List.of(
            new Bad("DELETE FROM tweets", List.of(), "the console would refuse it"),
            new Bad("SELECT pg_read_file('/etc/passwd')", List.of(), "pg_read_file"),
            new Bad("SELECT 1; SELECT 2", List.of(), "one statement"),
            new Bad(
                "SELECT :a",
                List.of(new NamedQuery.Param("b", "text", null, null)),
                "parameter 'b' is not in its SQL (it uses :a)"),
            new Bad(
                "SELECT :a",
                List.of(new NamedQuery.Param("a", "money", null, null)),
                "parameter 'a' has type 'money'"),
            new Bad(
                "SELECT :a",
                List.of(new NamedQuery.Param("a", "date", "yesterday", null)),
                "the default of parameter a: 'yesterday' is not a date"));
    for (Bad b : bad) {
      NamedQuery q = new NamedQuery("q1", null, null, b.sql(), b.params(), "ferry.yaml:7");
      assertThatThrownBy(
              () -> new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000, false, List.of(q)))
          .isInstanceOf(FerryException.class)
          .hasMessageStartingWith("ferry.yaml:7: query 'q1': ")
          .hasMessageContaining(b.message());
    }
    NamedQuery ok = new NamedQuery("a b", null, null, "SELECT 1", List.of(), "ferry.yaml:3");
    assertThatThrownBy(
            () -> new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000, false, List.of(ok)))
        .hasMessageContaining("the name must be letters, digits, _ and -");
  }

  @Test
  void ferryServeReadsQueriesFromFerryYamlAndExitsOneOnABadOne() throws Exception {
    Path dir = Files.createTempDirectory("ferry-queries");
    Path yaml = dir.resolve("ferry.yaml");
    Files.writeString(
        yaml,
        """
        queries:
          fine: SELECT 1
          wipe:
            sql: TRUNCATE tweets
        """);
    Ferry.Result r =
        Ferry.run("serve", "--config", yaml, "--target", f.url.display(), "--port", "0");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.all()).contains(yaml + ":3: query 'wipe': the console would refuse it");
    Files.writeString(yaml, "queries:\n  q:\n    sql: SELECT 1\n    parms: {}\n");
    r = Ferry.run("serve", "--config", yaml, "--target", f.url.display(), "--port", "0");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.all()).contains(yaml + ":2: query 'q': unknown key 'parms'");
  }
}
