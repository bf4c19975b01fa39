package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated write requests (methods, endpoints, filters, bodies, credentials and origins) against
 * an explorer in write mode, on every write route (filtered rows, rows by key, undo, with and
 * without a trailing slash, and paths that are no write route): never a 500 or a stack trace; a 200
 * only with the bearer token or the session cookie with its CSRF token (never a cookie alone), from
 * the same origin, and with a filter or a key (an insert aside); without them the data and
 * ferry.audit are untouched. Every request asks for a preview ({@code Prefer: tx=rollback}), so
 * each one runs its real statement and still leaves the data as it was.
 */
class ExplorerWriteFuzzTest {
  private static final List<String> PATHS =
      List.of(
          "/api/tables/public/tweets/rows",
          "/api/tables/public/users/rows",
          "/api/tables/public/tweets/rows/1",
          "/api/tables/public/users/rows/x%27--",
          "/api/tables/public/nope/rows",
          "/api/tables/pub%22lic/tweets/rows",
          "/api/tables/public/users/rows/",
          "/api/tables/public/tweets",
          "/api/audit/1/undo",
          "/api/audit/LATEST/undo",
          "/api/audit/LATEST/undo/",
          "/api/audit/LATEST",
          "/api/audit/x/undo",
          "/api/audit/999999999999/undo",
          "/api/write");

  private static String cookie;
  private static String csrf;

  /** A browser session of the fixture's explorer: its cookie and its CSRF token. */
  private static synchronized void session(WriteFixture f) throws Exception {
    if (cookie == null) {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base + "/api/session"))
                      .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                      .header("Authorization", "Bearer " + WriteFixture.TOKEN)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      String set = r.headers().firstValue("Set-Cookie").orElseThrow();
      cookie = set.substring(0, set.indexOf(';'));
      csrf =
          WriteFixture.raw(f.base, "GET", "/api/write", null, "Cookie", cookie)
              .json()
              .get("csrf")
              .asText();
    }
  }

  record Request(
      String method, String path, String query, String body, String auth, String origin) {}

  @Property(tries = 150)
  void generatedWritesNeverBreakTheServerNorWriteWithoutATokenAndAFilter(
      @ForAll("requests") Request q) throws Exception {
    WriteFixture f = WriteFixture.get();
    long audits = f.count("SELECT count(*) FROM ferry.audit");
    long tweets = f.count("SELECT count(*) FROM tweets");
    session(f);
    String latest = Long.toString(f.count("SELECT coalesce(max(audit_id), 0) FROM ferry.audit"));
    String path = q.path().replace("LATEST", latest) + (q.query().isEmpty() ? "" : "?" + q.query());
    List<String> headers = new java.util.ArrayList<>(List.of("Prefer", "tx=rollback"));
    switch (q.auth()) {
      case "bearer" -> headers.addAll(List.of("Authorization", "Bearer " + WriteFixture.TOKEN));
      case "wrong" -> headers.addAll(List.of("Authorization", "Bearer not-the-token-at-all"));
      case "basic" -> headers.addAll(List.of("Authorization", "Basic Zm9vOmJhcg=="));
      case "cookie" -> headers.addAll(List.of("Cookie", cookie));
      case "cookie+csrf" -> headers.addAll(List.of("Cookie", cookie, "X-Ferry-CSRF", csrf));
      case "cookie+wrong csrf" -> headers.addAll(List.of("Cookie", cookie, "X-Ferry-CSRF", "x"));
      default -> {}
    }
    if (q.origin().startsWith("Sec-Fetch-Site: ")) {
      headers.addAll(List.of("Sec-Fetch-Site", q.origin().substring("Sec-Fetch-Site: ".length())));
    } else if (!q.origin().isEmpty()) {
      headers.addAll(List.of("Origin", q.origin()));
    }
    WriteFixture.Response r =
        WriteFixture.raw(f.base, q.method(), path, q.body(), headers.toArray(String[]::new));
    String what = q + " → " + r.status() + " " + r.body();
    assertThat(r.status()).as(what).isIn(200, 400, 401, 403, 404, 405, 409, 503);
    if (r.status() != 200) {
      assertThat(r.json().get("error").asText()).as(what).isNotBlank();
      assertThat(r.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    } else {
      assertThat(q.auth()).as(what).isIn("bearer", "cookie+csrf");
      assertThat(q.origin()).as(what).isIn("", f.base, "Sec-Fetch-Site: same-origin");
      boolean insert = q.method().equals("POST") && q.path().endsWith("/rows");
      boolean named = !q.path().endsWith("/rows") && !q.path().endsWith("/rows/");
      assertThat(insert || named || !q.query().isEmpty()).as(what).isTrue();
    }
    assertThat(f.count("SELECT count(*) FROM ferry.audit")).as(what).isEqualTo(audits);
    assertThat(f.count("SELECT count(*) FROM tweets")).as(what).isEqualTo(tweets);
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> name =
        Arbitraries.of(
            "id",
            "text",
            "url",
            "metadata->>lang",
            "is_reply",
            "created_at",
            "user_id",
            "limit",
            "q",
            "nope",
            "",
            "id;drop",
            "metadata->>'x");
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "eq.1",
                "neq.x",
                "gt.0",
                "in.(1,2)",
                "is.null",
                "is.true",
                "like.*a*",
                "cs.{}",
                "not.is.null",
                "eq.",
                "eq.'; DROP TABLE tweets; --",
                "gte.2024-01-01",
                "x",
                ""),
            Arbitraries.strings().ofMaxLength(12).map(s -> "eq." + s));
    Arbitrary<String> pair =
        Combinators.combine(name, value)
            .as(
                (n, v) ->
                    URLEncoder.encode(n, StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8));
    Arbitrary<String> query = pair.list().ofMaxSize(3).map(l -> String.join("&", l));
    Arbitrary<String> body =
        Arbitraries.oneOf(
            Arbitraries.of(
                "{\"url\": \"u\"}",
                "{\"is_reply\": true}",
                "{\"text\": null}",
                "{\"id\": \"new\"}",
                "{\"username\": \"z\", \"id\": \"fuzz\"}",
                "[{\"id\": \"a\"}, 1]",
                "{\"created_at\": \"not a time\"}",
                "{\"metadata\": {\"lang\": \"xx\"}}",
                "{\"nope\": 1}",
                "{}",
                "[]",
                "null",
                "42",
                "{",
                ""),
            Arbitraries.strings().ofMaxLength(30));
    return Combinators.combine(
            Arbitraries.of("PATCH", "DELETE", "POST", "PUT"),
            Arbitraries.of(PATHS),
            query,
            body,
            Arbitraries.of(
                "bearer",
                "bearer",
                "none",
                "wrong",
                "basic",
                "cookie",
                "cookie+csrf",
                "cookie+wrong csrf"),
            Arbitraries.of(
                "",
                "",
                "http://evil.example",
                "null",
                "http://127.0.0.1:1",
                "Sec-Fetch-Site: cross-site",
                "Sec-Fetch-Site: same-site",
                "Sec-Fetch-Site: same-origin"))
        .as(Request::new);
  }
}
