package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Every response, the page, its scripts, the API and an error alike, carries the headers that keep
 * a browser from running anything but the page's own files: the Content-Security-Policy (which the
 * browser tests check the page never violates) and nosniff; API answers are never cached.
 */
class ResponseHeadersTest {
  @Test
  void everyResponseCarriesThePolicy() throws Exception {
    try (Served served =
        Served.start(new ServeOptions(TestPostgres.newDatabase(), 0, "127.0.0.1", null, 5_000))) {
      HttpClient http = HttpClient.newHttpClient();
      for (String path : new String[] {"/", "/app.js", "/app.css", "/api/tables", "/nowhere"}) {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(served.base() + path)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(r.headers().firstValue("Content-Security-Policy"))
            .as(path)
            .contains(Telemetry.CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
        if (path.startsWith("/api")) {
          assertThat(r.headers().firstValue("Cache-Control")).as(path).contains("no-store");
        }
      }
    }
  }
}
