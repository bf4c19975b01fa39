package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A seed-001 database of its own (writes change it: the read-only tests' fixture stays as ferry
 * loaded it), loaded by ferry and served with {@code --write --token}; shared by the write tests of
 * one JVM.
 */
final class WriteFixture {
  static final String TOKEN = "write-test-token-0123456789";
  static final int TWEETS = 300;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static WriteFixture shared;

  final TargetUrl url;
  final Served explorer;
  final String base;

  private WriteFixture(TargetUrl url, Served explorer) {
    this.url = url;
    this.explorer = explorer;
    this.base = explorer.base();
  }

  static synchronized WriteFixture get() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("ferry-write");
      Path db = dir.resolve("twitter.db");
      TwitterExample.write(db, TWEETS, 5);
      TargetUrl url = TestPostgres.newDatabase();
      Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
      assertThat(r.exitCode()).as(r.all()).isZero();
      Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", TOKEN, 5_000, true));
      Runtime.getRuntime().addShutdownHook(new Thread(e::close));
      shared = new WriteFixture(url, e);
    }
    return shared;
  }

  record Response(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  /** A request with the bearer token. */
  Response send(String method, String path, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + TOKEN;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return raw(base, method, path, body, all);
  }

  /** A request with exactly {@code headers}. */
  static Response raw(String base, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path.replace(">", "%3E").replace(" ", "%20")))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** Every row of {@code table} as text, in key order: equal strings, equal tables. */
  String snapshot(String table) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM "
                    + table
                    + " t")) {
      rs.next();
      return rs.getString(1);
    }
  }

  long count(String sql) {
    return TestPostgres.count(url, sql);
  }

  void execute(String sql) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
