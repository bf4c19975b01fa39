package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testing.TestPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read-only SQL console: queries answer what PostgreSQL answers; anything that would write,
 * read server files, change settings or run more than one statement is a 400 naming why, and
 * nothing is written, whatever the SQL.
 */
class ExplorerSqlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ExplorerFixture f;

  @BeforeAll
  static void serve() throws Exception {
    f = ExplorerFixture.get();
  }

  static ExplorerFixture.Response post(String base, String sql, Map<String, Object> params)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("sql", sql);
    body.set("params", JSON.valueToTree(params));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/sql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ExplorerFixture.Response(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }

  private static ExplorerFixture.Response post(String sql) throws Exception {
    return post(f.base, sql, Map.of());
  }

  @Test
  void aQueryAnswersWhatPostgresAnswersWithNamedParameters() throws Exception {
    long english =
        TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'en'");
    ExplorerFixture.Response r =
        post(
            f.base,
            "SELECT metadata->>'lang' AS lang, count(*)::int AS n FROM tweets"
                + " WHERE metadata->>'lang' = :lang AND metadata ? 'lang' GROUP BY 1",
            Map.of("lang", "en"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode a = r.json();
    assertThat(a.get("columns").get(0).get("name").asText()).isEqualTo("lang");
    assertThat(a.get("columns").get(1).get("type").asText()).isEqualTo("integer");
    assertThat(a.get("rows").get(0).get(0).asText()).isEqualTo("en");
    assertThat(a.get("rows").get(0).get(1).asLong()).isEqualTo(english);
    assertThat(a.get("truncated").asBoolean()).isFalse();

    ExplorerFixture.Response g =
        f.get(
            "/api/sql?sql="
                + URLEncoder.encode(
                    "SELECT count(*) FROM tweets WHERE NOT is_reply AND id <> :x",
                    StandardCharsets.UTF_8)
                + "&x=none");
    assertThat(g.json().get("rows").get(0).get(0).asLong())
        .isEqualTo(TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE NOT is_reply"));
  }

  @Test
  void resultsAreCappedAndExportAsCsvAndNdjson() throws Exception {
    JsonNode a = post("SELECT g FROM generate_series(1, 5000) g").json();
    assertThat(a.get("rows").size()).isEqualTo(SqlHandler.MAX_ROWS);
    assertThat(a.get("truncated").asBoolean()).isTrue();
    String q =
        URLEncoder.encode(
            "SELECT 1 AS a, 'x,y' AS b UNION ALL SELECT 2, NULL", StandardCharsets.UTF_8);
    ExplorerFixture.Response csv = f.get("/api/sql?format=csv&sql=" + q);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body()).isEqualTo("a,b\r\n1,\"x,y\"\r\n2,\r\n");
    ExplorerFixture.Response nd = f.get("/api/sql?format=ndjson&sql=" + q);
    assertThat(nd.body()).isEqualTo("{\"a\":1,\"b\":\"x,y\"}\n{\"a\":2,\"b\":null}\n");
  }

  /** Each hostile statement with the words its refusal must contain. */
  private static final List<String[]> HOSTILE =
      List.of(
          new String[] {"DELETE FROM tweets", "only queries"},
          new String[] {"UPDATE tweets SET text = 'x'", "only queries"},
          new String[] {"INSERT INTO users (id, username) VALUES ('x', 'x')", "only queries"},
          new String[] {"DROP TABLE tweets", "only queries"},
          new String[] {"TRUNCATE tweets", "only queries"},
          new String[] {"SET default_transaction_read_only = off", "only queries"},
          new String[] {"COPY (SELECT 1) TO PROGRAM 'touch /tmp/ferry-pwned'", "only queries"},
          new String[] {"DO $$ BEGIN DELETE FROM tweets; END $$", "only queries"},
          new String[] {"CALL nothing()", "only queries"},
          new String[] {"SELECT 1; DELETE FROM tweets", "one statement"},
          new String[] {"SELECT 1 -- ;\n; DELETE FROM tweets", "one statement"},
          new String[] {"SELECT ';'; /* x */ DROP TABLE tweets", "one statement"},
          new String[] {
            "WITH d AS (DELETE FROM tweets RETURNING 1) SELECT count(*) FROM d", "read-only"
          },
          new String[] {"SELECT * INTO stolen FROM tweets", "read-only"},
          new String[] {"EXPLAIN ANALYZE DELETE FROM tweets", "read-only"},
          new String[] {"SELECT nextval('no_such_seq')", "no_such_seq"},
          new String[] {"SELECT pg_read_file('/etc/passwd')", "pg_read_file"},
          new String[] {"SELECT pg_catalog.pg_read_file('/etc/passwd')", "pg_read_file"},
          new String[] {"SELECT \"pg_read_file\"('/etc/passwd')", "pg_read_file"},
          new String[] {"SELECT U&\"pg\\005fread_file\"('/etc/passwd')", "U& escapes"},
          new String[] {"SELECT PG_LS_DIR('.')", "pg_ls_dir"},
          new String[] {
            "SELECT set_config('default_transaction_read_only', 'off', false)", "set_config"
          },
          new String[] {"SELECT query_to_xml('select 1', true, true, '')", "query_to_xml"},
          new String[] {"SELECT encode(secret, 'hex') FROM ferry.audit_key", "audit_key"},
          new String[] {"SELECT * FROM ferry.\"audit_key\"", "audit_key"},
          new String[] {
            "SELECT table_to_xml(('ferry.audit_' || 'key')::regclass, true, false, '')",
            "table_to_xml"
          },
          new String[] {"SELECT database_to_xml(true, false, '')", "database_to_xml"},
          new String[] {
            "SELECT schema_to_xml_and_xmlschema('ferry', true, false, '')", "schema_to_xml"
          },
          new String[] {"SELECT pg_terminate_backend(pg_backend_pid())", "pg_terminate_backend"},
          new String[] {"SELECT pg_advisory_lock(1)", "pg_advisory_lock"},
          new String[] {"SELECT lo_import('/etc/passwd')", "lo_import"},
          new String[] {"SELECT 1 /* never closed", "not closed"},
          new String[] {"SELECT 'never closed", "not closed"},
          new String[] {"SELECT :missing", ":missing"},
          new String[] {"SELECT * FROM no_such_table", "no_such_table"},
          new String[] {"", "give the query"},
          new String[] {"   -- only a comment", "give the query"});

  @Test
  void hostileSqlIsRefusedNamingWhyAndNothingIsWritten() throws Exception {
    long tweets = TestPostgres.count(f.url, "SELECT count(*) FROM tweets");
    long tables = TestPostgres.count(f.url, "SELECT count(*) FROM pg_class WHERE relkind = 'r'");
    for (String[] h : HOSTILE) {
      ExplorerFixture.Response r = post(h[0]);
      assertThat(r.status()).as(h[0] + " → " + r.body()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(h[0]).containsIgnoringCase(h[1]);
    }
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets")).isEqualTo(tweets);
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM pg_class WHERE relkind = 'r'"))
        .isEqualTo(tables);
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/ferry-pwned"))).isFalse();
    // no setting outlived its transaction: every pooled session is still read-only
    for (int i = 0; i < 30; i++) {
      JsonNode a = post("SELECT current_setting('default_transaction_read_only')").json();
      assertThat(a.get("rows").get(0).get(0).asText()).isEqualTo("on");
    }
  }

  @Test
  void harmlessTextThatLooksHostileStillRuns() throws Exception {
    for (String sql :
        List.of(
            "SELECT ';' AS semicolon",
            "/* ; DELETE */ SELECT 1",
            "SELECT $$; DROP TABLE tweets$$",
            "SELECT 1 AS \"delete\";",
            "select count(*) from tweets where text <> 'DELETE FROM tweets'",
            "WITH x AS (SELECT 1 AS a) SELECT a::text FROM x",
            "VALUES (1), (2)",
            "TABLE users",
            "EXPLAIN SELECT * FROM tweets")) {
      ExplorerFixture.Response r = post(sql);
      assertThat(r.status()).as(sql + " → " + r.body()).isEqualTo(200);
    }
  }

  @Test
  void randomTextIsNeverAServerError() throws Exception {
    Random random = new Random(15);
    String[] parts = {
      "SELECT",
      " ",
      "*",
      "FROM",
      "tweets",
      ";",
      "'",
      "\"",
      "$$",
      "$a$",
      "--",
      "/*",
      "*/",
      ":x",
      "?",
      "::",
      "(",
      ")",
      "DELETE",
      "pg_read_file",
      "E'\\''",
      "\n",
      "1",
      ",",
      "WITH",
      "INTO"
    };
    for (int i = 0; i < 300; i++) {
      StringBuilder sql = new StringBuilder(random.nextBoolean() ? "SELECT " : "");
      for (int k = random.nextInt(12); k >= 0; k--) {
        sql.append(parts[random.nextInt(parts.length)]);
      }
      ExplorerFixture.Response r = post(f.base, sql.toString(), Map.of("x", "1"));
      assertThat(r.status()).as(sql + " → " + r.body()).isIn(200, 400);
    }
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
  }
}
