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

/**
 * A seed-001 database loaded by ferry itself into a fresh PostgreSQL database, served by a real
 * explorer on a free port: shared by the API, fuzz and browser tests of one JVM.
 */
final class ExplorerFixture {
  static final int TWEETS = 600;

  /** The named queries the shared explorer serves (as ferry.yaml queries: would give them). */
  static final java.util.List<NamedQuery> QUERIES =
      java.util.List.of(
          new NamedQuery(
              "by_lang",
              "Tweets in a language",
              "the first tweets of one language, by id",
              "SELECT id, user_id, text FROM tweets WHERE metadata->>'lang' = :lang ORDER BY id"
                  + " LIMIT :n",
              java.util.List.of(
                  new NamedQuery.Param("lang", "text", "en", "a language code"),
                  new NamedQuery.Param("n", "integer", "20", "how many")),
              "test"),
          new NamedQuery(
              "user_tweets",
              null,
              null,
              "SELECT count(*) AS n FROM tweets WHERE user_id = :user",
              java.util.List.of(),
              "test"));

  private static ExplorerFixture shared;

  final TargetUrl url;
  final Served explorer;
  final String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExplorerFixture(TargetUrl url, Served explorer) {
    this.url = url;
    this.explorer = explorer;
    this.base = "http://127.0.0.1:" + explorer.port();
  }

  static synchronized ExplorerFixture get() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("ferry-explorer");
      Path db = dir.resolve("twitter.db");
      TwitterExample.write(db, TWEETS, 5);
      TargetUrl url = TestPostgres.newDatabase();
      Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
      assertThat(r.exitCode()).as(r.all()).isZero();
      Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5_000, false, QUERIES));
      Runtime.getRuntime().addShutdownHook(new Thread(e::close));
      shared = new ExplorerFixture(url, e);
    }
    return shared;
  }

  record Response(int status, String body, String contentType) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  Response get(String pathAndQuery) throws Exception {
    return fetch(base + pathAndQuery);
  }

  /** GET of any URL (an explorer a test starts itself). */
  static Response fetch(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Response(
        r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
  }
}
