package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under {@code --token}, a browser signs in once: {@code POST /api/session} with the bearer header
 * answers an HttpOnly, SameSite=Strict cookie that every GET accepts (pages, exports, OpenAPI,
 * metrics), {@code DELETE /api/session} ends it, and a cookie alone never authorizes any other
 * method.
 */
class ExplorerSessionTest {
  private static final String TOKEN = "0123456789abcdef-session-test";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Every GET a browser may follow as a plain link. */
  private static final List<String> GETS =
      List.of(
          "/api/tables",
          "/api/tables/public/tweets",
          "/api/tables/public/tweets/rows?limit=3",
          "/api/tables/public/tweets/export?format=csv",
          "/api/tables/public/tweets/export?format=ndjson",
          "/api/openapi.json",
          "/api/runs",
          "/metrics");

  private static Served served;

  @BeforeAll
  static void serve() throws Exception {
    ExplorerFixture f = ExplorerFixture.get();
    served = Served.start(new ServeOptions(f.url, 0, "127.0.0.1", TOKEN, 5_000));
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(served.base() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String signIn() throws Exception {
    HttpResponse<String> r = send("POST", "/api/session", "Authorization", "Bearer " + TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(Sessions.COOKIE + "=")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/");
    assertThat(setCookie + r.body()).doesNotContain(TOKEN);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void theSessionCookieOpensEveryGetAndNothingElse() throws Exception {
    String cookie = signIn();
    for (String path : GETS) {
      assertThat(send("GET", path).statusCode()).as("no cookie: %s", path).isEqualTo(401);
      HttpResponse<String> r = send("GET", path, "Cookie", cookie);
      assertThat(r.statusCode()).as("cookie: %s → %s", path, r.body()).isEqualTo(200);
      assertThat(send("GET", path, "Cookie", Sessions.COOKIE + "=forged").statusCode())
          .as("forged cookie: %s", path)
          .isEqualTo(401);
    }
    assertThat(send("HEAD", "/api/tables", "Cookie", cookie).statusCode()).isNotEqualTo(401);
    // the page itself is public: it holds no data and asks for the token
    assertThat(send("GET", "/").statusCode()).isEqualTo(200);
  }

  @Test
  void aCookieAloneNeverAuthorizesAnotherMethod() throws Exception {
    String cookie = signIn();
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      for (String path :
          List.of(
              "/api/tables",
              "/api/tables/public/tweets/rows",
              "/api/tables/public/tweets/rows?id=eq.1",
              "/api/runs",
              "/metrics")) {
        HttpResponse<String> r = send(method, path, "Cookie", cookie);
        assertThat(r.statusCode()).as("%s %s → %s", method, path, r.body()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"UNAUTHORIZED\"").contains("\"status\":401");
      }
    }
  }

  @Test
  void signingInNeedsTheTokenAndLoggingOutEndsTheSession() throws Exception {
    assertThat(send("POST", "/api/session").statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/session", "Authorization", "Bearer wrong").statusCode())
        .isEqualTo(401);
    String cookie = signIn();
    assertThat(send("GET", "/api/session", "Cookie", cookie).body())
        .contains("\"token_required\":true")
        .contains("\"signed_in\":true");
    HttpResponse<String> out = send("DELETE", "/api/session", "Cookie", cookie);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith(Sessions.COOKIE + "=")
        .containsAnyOf("Max-Age=0", "Expires=Thu, 01 Jan 1970");
    assertThat(send("GET", "/api/tables", "Cookie", cookie).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/session", "Cookie", cookie).body())
        .contains("\"signed_in\":false");
    // the bearer header keeps working on its own
    assertThat(send("GET", "/api/tables", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
  }
}
