package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.FerryException;
import dev.ferry.testing.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The explorer's REST API against a real PostgreSQL loaded by ferry itself. */
class ExplorerApiTest {
  private static ExplorerFixture f;

  @BeforeAll
  static void serve() throws Exception {
    f = ExplorerFixture.get();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void listsEveryTableWithItsCountSourceAndVerdict() throws Exception {
    JsonNode tables = f.get("/api/tables").json().get("tables");
    List<String> names = new ArrayList<>();
    tables.forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).contains("tweets", "users", "analysis_queue", "referral_codes");
    JsonNode tweets = null;
    for (JsonNode t : tables) {
      if (t.get("name").asText().equals("tweets")) {
        tweets = t;
      }
    }
    assertThat(tweets.get("rows").get("count").asLong()).isEqualTo(ExplorerFixture.TWEETS);
    assertThat(tweets.get("rows").get("source").asText()).isEqualTo("migration");
    assertThat(tweets.get("verdict").asText()).isEqualTo("VERIFIED");
    JsonNode detail = f.get("/api/tables/public/tweets").json();
    assertThat(detail.get("primary_key").get(0).asText()).isEqualTo("id");
    assertThat(detail.get("foreign_keys").get(0).get("references").asText())
        .isEqualTo("public.users");
  }

  @Test
  void keysetPagesWalkEveryRowOnceInEitherOrderIncludingNulls() throws Exception {
    for (String order :
        List.of(
            "",
            "&order=created_at",
            "&order=created_at.desc",
            "&order=url.desc",
            "&order=url",
            "&order=is_reply")) {
      Set<String> seen = new HashSet<>();
      String next = null;
      int pages = 0;
      do {
        ExplorerFixture.Response r =
            f.get(
                "/api/tables/public/tweets/rows?limit=97"
                    + order
                    + (next == null ? "" : "&after=" + next));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode page = r.json();
        assertThat(page.get("paging").asText()).isEqualTo("keyset");
        page.get("rows").forEach(row -> assertThat(seen.add(row.get("id").asText())).isTrue());
        next = page.get("next").isNull() ? null : page.get("next").asText();
        pages++;
      } while (next != null && pages < 100);
      assertThat(seen).as("order %s", order).hasSize(ExplorerFixture.TWEETS);
    }
  }

  @Test
  void filtersUseThePostgrestVocabularyAndJsonFields() throws Exception {
    long english =
        TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'en'");
    assertThat(english).isPositive();
    JsonNode page =
        f.get("/api/tables/public/tweets/rows?limit=1000&" + enc("metadata->>lang") + "=eq.en")
            .json();
    assertThat(page.get("rows").size()).isEqualTo((int) english);
    page.get("rows")
        .forEach(r -> assertThat(r.get("metadata").get("lang").asText()).isEqualTo("en"));

    long contained =
        TestPostgres.count(
            f.url, "SELECT count(*) FROM tweets WHERE metadata @> '{\"lang\": \"fr\"}'");
    assertThat(
            f.get(
                    "/api/tables/public/tweets/rows?limit=1000&metadata="
                        + enc("cs.{\"lang\":\"fr\"}"))
                .json()
                .get("rows")
                .size())
        .isEqualTo((int) contained);
    long notReply = TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE NOT is_reply");
    assertThat(
            f.get("/api/tables/public/tweets/rows?limit=1000&is_reply=is.false")
                .json()
                .get("rows")
                .size())
        .isEqualTo((int) notReply);
    assertThat(
            f.get("/api/tables/public/tweets/rows?limit=1000&is_reply=not.is.true")
                .json()
                .get("rows")
                .size())
        .isEqualTo((int) notReply);
    String someId =
        f.get("/api/tables/public/tweets/rows?limit=2")
            .json()
            .get("rows")
            .get(1)
            .get("id")
            .asText();
    assertThat(
            f.get("/api/tables/public/tweets/rows?id=in.(" + someId + ",nope)")
                .json()
                .get("rows")
                .size())
        .isEqualTo(1);
    // ->> yields text, compared as text (as in PostgREST); cast in SQL when numbers are meant
    long likes =
        TestPostgres.count(
            f.url,
            "SELECT count(*) FROM tweets WHERE metadata->>'likes' > '2500' AND text ILIKE '%a%'");
    assertThat(
            f.get(
                    "/api/tables/public/tweets/rows?limit=1000&"
                        + enc("metadata->>likes")
                        + "=gt.2500&text=ilike.*a*")
                .json()
                .get("rows")
                .size())
        .isEqualTo((int) likes);
    assertThat(
            f.get("/api/tables/public/tweets/rows?created_at=gte.2020-01-01T00:00:00Z&limit=5")
                .status())
        .isEqualTo(200);
  }

  @Test
  void searchRanksMatchesFromACappedCandidateSet() throws Exception {
    String word =
        f.get("/api/tables/public/tweets/rows?limit=1")
            .json()
            .get("rows")
            .get(0)
            .get("text")
            .asText()
            .split(" ", -1)[0];
    JsonNode page = f.get("/api/tables/public/tweets/rows?limit=20&q=" + enc(word)).json();
    assertThat(page.get("rows").size()).isPositive();
    assertThat(page.get("paging").asText()).isEqualTo("offset");
    page.get("rows")
        .forEach(
            r ->
                assertThat(r.toString().toLowerCase(java.util.Locale.ROOT))
                    .contains(word.toLowerCase(java.util.Locale.ROOT)));
  }

  @Test
  void aRowComesWithWhatItReferencesAndWhatReferencesIt() throws Exception {
    JsonNode user = f.get("/api/tables/public/users/rows?limit=1").json().get("rows").get(0);
    String id = user.get("id").asText();
    JsonNode d = f.get("/api/tables/public/users/row?id=" + enc(id)).json();
    assertThat(d.get("row").get("username").asText()).isEqualTo(user.get("username").asText());
    long tweets =
        TestPostgres.count(
            f.url, "SELECT count(*) FROM tweets WHERE user_id = '" + id.replace("'", "''") + "'");
    boolean found = false;
    for (JsonNode r : d.get("referenced_by")) {
      if (r.get("table").asText().equals("public.tweets")) {
        assertThat(r.get("count").asLong()).isEqualTo(tweets);
        found = true;
      }
    }
    assertThat(found).isTrue();
    JsonNode tweet = f.get("/api/tables/public/tweets/rows?limit=1").json().get("rows").get(0);
    JsonNode td = f.get("/api/tables/public/tweets/row?id=" + enc(tweet.get("id").asText())).json();
    assertThat(td.get("references").get(0).get("row").get("id").asText())
        .isEqualTo(tweet.get("user_id").asText());
    assertThat(f.get("/api/tables/public/tweets/row?id=nope").status()).isEqualTo(404);
    assertThat(f.get("/api/tables/public/tweets/row").status()).isEqualTo(400);
  }

  @Test
  void exportsStreamEveryFilteredRow() throws Exception {
    ExplorerFixture.Response csv =
        f.get("/api/tables/public/tweets/export?format=csv&is_reply=is.true");
    long replies = TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE is_reply");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body().lines().findFirst().orElse("")).startsWith("id,user_id,text");
    ExplorerFixture.Response nd =
        f.get("/api/tables/public/tweets/export?format=ndjson&is_reply=is.true");
    assertThat(nd.body().lines().count()).isEqualTo(replies);
    assertThat(f.get("/api/tables/public/tweets/export?format=xml").status()).isEqualTo(400);
    // a stray & (as links built by hand carry) is no filter
    assertThat(f.get("/api/tables/public/tweets/export?format=csv&").body().lines().count())
        .isEqualTo(ExplorerFixture.TWEETS + 1);
    assertThat(f.get("/api/tables/public/tweets/rows?&limit=3&&").status()).isEqualTo(200);
  }

  @Test
  void theMigrationsEvidenceIsServed() throws Exception {
    JsonNode runs = f.get("/api/runs").json().get("runs");
    assertThat(runs.size()).isPositive();
    String run = runs.get(0).get("run_id").asText();
    JsonNode tables = f.get("/api/runs/" + run).json().get("tables");
    assertThat(tables.size()).isGreaterThan(5);
    assertThat(f.get("/api/runs/" + run + "/fixups").json().get("fixups").isArray()).isTrue();
    assertThat(f.get("/api/runs/not-a-uuid").status()).isEqualTo(400);
  }

  @Test
  void healthMetricsAndOpenApi() throws Exception {
    JsonNode h = f.get("/health").json();
    assertThat(h.get("status").asText()).isEqualTo("up");
    assertThat(h.get("pool").get("max").asInt()).isEqualTo(10);
    f.get("/api/tables/public/tweets/rows?limit=3");
    String m = f.get("/metrics").body();
    assertThat(m)
        .contains("ferry_http_requests_seconds_bucket")
        .contains("hikaricp_connections")
        .contains("ferry_db_queries_seconds");
    JsonNode api = f.get("/api/openapi.json").json();
    assertThat(api.get("openapi").asText()).startsWith("3.");
    assertThat(api.get("paths").has("/api/tables/{schema}/{table}/rows")).isTrue();
    assertThat(f.get("/").body()).contains("Ferry explorer");
  }

  @Test
  void hostileParametersGetA400ThatSaysWhy() throws Exception {
    String[] bad = {
      "limit=0",
      "limit=100000",
      "limit=abc",
      "order=nope",
      "order=id;DROP TABLE tweets",
      "after=garbage",
      "id=eq",
      "id=bogus.1",
      "is_reply=is.maybe",
      "created_at=gt.notadate",
      "text=cs.{}",
      enc("metadata->>la'ng") + "=eq.x",
      enc("metadata->>lang->>x") + "=eq.x",
      "users=eq.1",
      "id=in.1,2"
    };
    for (String q : bad) {
      int eq = q.indexOf('=');
      ExplorerFixture.Response r =
          f.get(
              "/api/tables/public/tweets/rows?"
                  + q.substring(0, eq + 1)
                  + enc(q.substring(eq + 1)));
      assertThat(r.status()).as(q + " → " + r.body()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isNotBlank();
    }
    assertThat(f.get("/api/tables/public/nope/rows").status()).isEqualTo(404);
    assertThat(f.get("/api/tables/public/tweets/rows?created_at=" + enc("gt.1;SELECT")).status())
        .isEqualTo(400);
    // a cursor made for another order is refused
    String next = f.get("/api/tables/public/tweets/rows?limit=2").json().get("next").asText();
    assertThat(f.get("/api/tables/public/tweets/rows?order=text&after=" + next).status())
        .isEqualTo(400);
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
  }

  @Test
  void bindingBeyondLoopbackNeedsAToken() {
    assertThatThrownBy(() -> new ServeOptions(f.url, 0, "0.0.0.0", null, 5000))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("--token");
  }

  @Test
  void aTokenIsRequiredWhenGiven() throws Exception {
    try (Served e =
        Served.start(new ServeOptions(f.url, 0, "127.0.0.1", "0123456789abcdef-secret", 5000))) {
      java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
      var no =
          c.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + e.port() + "/api/tables"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(no.statusCode()).isEqualTo(401);
      assertThat(no.body()).doesNotContain("0123456789abcdef-secret");
      var yes =
          c.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + e.port() + "/api/tables"))
                  .header("Authorization", "Bearer 0123456789abcdef-secret")
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(yes.statusCode()).isEqualTo(200);
      assertThat(yes.body()).doesNotContain(dev.ferry.testing.TestPostgres.PASSWORD);
    }
  }

  @Test
  void keysetPagingIsNullSafeInBothDirections() throws Exception {
    dev.ferry.postgres.TargetUrl url = TestPostgres.newDatabase();
    try (java.sql.Connection c = TestPostgres.connect(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id int PRIMARY KEY, s int)");
      st.execute(
          "INSERT INTO t SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE g % 7 END"
              + " FROM generate_series(1, 200) g");
    }
    try (Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5000))) {
      for (String order : List.of("s", "s.desc")) {
        List<String> walked = new ArrayList<>();
        String next = null;
        do {
          String body =
              ExplorerFixture.fetch(
                      "http://127.0.0.1:"
                          + e.port()
                          + "/api/tables/public/t/rows?limit=13&order="
                          + order
                          + (next == null ? "" : "&after=" + next))
                  .body();
          JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
          page.get("rows").forEach(r -> walked.add(r.get("id").asText()));
          next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        List<String> expected = new ArrayList<>();
        try (java.sql.Connection c = TestPostgres.connect(url);
            java.sql.Statement st = c.createStatement();
            java.sql.ResultSet rs =
                st.executeQuery(
                    "SELECT id FROM t ORDER BY s "
                        + (order.endsWith("desc") ? "DESC NULLS FIRST" : "ASC NULLS LAST")
                        + ", id")) {
          while (rs.next()) {
            expected.add(rs.getString(1));
          }
        }
        assertThat(walked).as(order).isEqualTo(expected);
      }
    }
  }

  @Test
  void numbersJavaScriptWouldRoundAreSentAsTheirExactText() throws Exception {
    dev.ferry.postgres.TargetUrl url = TestPostgres.newDatabase();
    try (java.sql.Connection c = TestPostgres.connect(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE big (id bigint PRIMARY KEY, n numeric, small int, d float8)");
      st.execute(
          "INSERT INTO big VALUES (1790000000000000001, 12345678901234567890.5, 7, 0.1),"
              + " (2, 1.25, -3, 1e300)");
      st.execute("CREATE TABLE pair (a int, b text, v text, PRIMARY KEY (a, b))");
      st.execute("INSERT INTO pair VALUES (1, 'x', 'one-x'), (1, 'y', 'one-y'), (2, 'x', 'two-x')");
    }
    try (Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5000))) {
      String base = "http://127.0.0.1:" + e.port();
      String body = ExplorerFixture.fetch(base + "/api/tables/public/big/rows?order=id").body();
      assertThat(body)
          .contains("\"id\":2,\"n\":1.25,\"small\":-3,\"d\":1e+300")
          .contains(
              "\"id\":\"1790000000000000001\",\"n\":\"12345678901234567890.5\",\"small\":7,\"d\":0.1");
      String detail =
          ExplorerFixture.fetch(base + "/api/tables/public/big/row?id=1790000000000000001").body();
      assertThat(detail).contains("\"1790000000000000001\"");
      String composite = ExplorerFixture.fetch(base + "/api/tables/public/pair/row?a=1&b=y").body();
      assertThat(composite).contains("\"v\":\"one-y\"");
      int missingPart = ExplorerFixture.fetch(base + "/api/tables/public/pair/row?a=1").status();
      assertThat(missingPart).isEqualTo(400);
    }
  }
}
