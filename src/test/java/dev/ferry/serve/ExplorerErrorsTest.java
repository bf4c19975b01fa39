package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the explorer answers when the request, the data or the machine is wrong: always {@code
 * {error, code, status}} with the code's HTTP status, and {@code ferry serve} on a taken port is a
 * usage error (exit 1) that names the port and how to choose another.
 */
class ExplorerErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode error(ExplorerFixture.Response r, int status, String code)
      throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode body = r.json();
    assertThat(body.get("code").asText()).as(r.body()).isEqualTo(code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).isNotBlank();
    return body;
  }

  @Test
  void aRunIdNoRunHasIsNotFoundOnEveryRunEndpoint() throws Exception {
    ExplorerFixture f = ExplorerFixture.get();
    for (String id : List.of(UUID.randomUUID().toString(), new UUID(0, 0).toString())) {
      for (String tail : List.of("", "/fixups", "/rejects", "/rejects?table=tweets")) {
        error(f.get("/api/runs/" + id + tail), 404, "NOT_FOUND");
      }
    }
    // a recorded run still answers
    String run = f.get("/api/runs").json().get("runs").get(0).get("run_id").asText();
    for (String tail : List.of("", "/fixups", "/rejects")) {
      assertThat(f.get("/api/runs/" + run + tail).status()).isEqualTo(200);
    }
    // a database no run ever wrote to has no runs at all
    TargetUrl empty = TestPostgres.newDatabase();
    try (Served e = Served.start(new ServeOptions(empty, 0, "127.0.0.1", null, 5_000))) {
      String base = e.base();
      assertThat(ExplorerFixture.fetch(base + "/api/runs").body()).isEqualTo("{\"runs\":[]}");
      error(ExplorerFixture.fetch(base + "/api/runs/" + run), 404, "NOT_FOUND");
    }
  }

  @Test
  void databaseRefusalsMapThroughErrorCodes() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id int PRIMARY KEY, at timestamptz, n int)");
      st.execute("INSERT INTO t VALUES (1, now(), 1)");
      st.execute("CREATE VIEW slow AS SELECT pg_sleep(2)::text AS x");
    }
    try (Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 300))) {
      String t = e.base() + "/api/tables/public/t/rows?";
      error(ExplorerFixture.fetch(t + "at=gt.notadate"), 400, "BAD_VALUE");
      error(ExplorerFixture.fetch(t + "n=eq.99999999999"), 400, "BAD_VALUE");
      error(ExplorerFixture.fetch(t + "n=eq.x"), 400, "BAD_VALUE");
      error(ExplorerFixture.fetch(t + "nope=eq.1"), 400, "USAGE");
      error(ExplorerFixture.fetch(e.base() + "/api/tables/public/nope/rows"), 404, "NOT_FOUND");
      error(ExplorerFixture.fetch(e.base() + "/api/nothing"), 404, "NOT_FOUND");
      JsonNode slow =
          error(ExplorerFixture.fetch(e.base() + "/api/tables/public/slow/rows"), 503, "TIMEOUT");
      assertThat(slow.get("error").asText()).contains("300 ms");
    }
  }

  @Test
  void theAppIsAFunctionOfAnyDataSource() throws Exception {
    ExplorerFixture f = ExplorerFixture.get();
    PGSimpleDataSource plain = new PGSimpleDataSource();
    plain.setURL(f.url.jdbcUrl());
    plain.setUser(f.url.properties().getProperty("user"));
    plain.setPassword(f.url.properties().getProperty("password"));
    plain.setReadOnly(true);
    ServeOptions options = new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000);
    Javalin app =
        Explorer.app(plain, options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      Explorer.listen(app, options);
      String base = "http://127.0.0.1:" + app.port();
      JsonNode page =
          JSON.readTree(
              ExplorerFixture.fetch(base + "/api/tables/public/tweets/rows?limit=5").body());
      assertThat(page.get("rows").size()).isEqualTo(5);
      JsonNode health = JSON.readTree(ExplorerFixture.fetch(base + "/health").body());
      assertThat(health.get("status").asText()).isEqualTo("up");
      assertThat(health.has("pool")).isFalse(); // not a pool: nothing to report
    } finally {
      app.stop();
    }
  }

  @Test
  void serveOnATakenPortIsAUsageErrorNamingThePort() throws Exception {
    TargetUrl url = ExplorerFixture.get().url;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Ferry.Result r = Ferry.run("serve", "--port", port, "--target", url.display());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.all())
          .contains(Integer.toString(port))
          .contains("--port")
          .doesNotContain("\tat ")
          .doesNotContain("Exception")
          .doesNotContain(TestPostgres.PASSWORD);
    }
  }
}
