package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may write: the bearer header, or the session cookie together with its CSRF token; a cookie
 * alone, a cross-origin request (whatever it carries) and any write to an explorer without {@code
 * --write} are refused, and nothing is written.
 */
class ExplorerWriteAuthTest {
  private static final String PATCH_ONE = "/api/tables/public/users/rows?id=eq.";

  private static String anyUser(WriteFixture f) throws Exception {
    return f.send("GET", "/api/tables/public/users/rows?limit=1&order=id", null)
        .json()
        .get("rows")
        .get(0)
        .get("id")
        .asText();
  }

  private static String cookie(WriteFixture f) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base + "/api/session"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + WriteFixture.TOKEN)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void aCookieWritesOnlyWithItsCsrfTokenAndNothingElseWithoutTheBearerHeader() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("users");
    long audits = f.count("SELECT count(*) FROM ferry.audit");
    String id = anyUser(f);
    String body = "{\"profile_picture_url\": \"https://example.org/x.png\"}";

    assertThat(WriteFixture.raw(f.base, "PATCH", PATCH_ONE + id, body).status()).isEqualTo(401);
    String cookie = cookie(f);
    assertThat(WriteFixture.raw(f.base, "PATCH", PATCH_ONE + id, body, "Cookie", cookie).status())
        .as("a cookie alone")
        .isEqualTo(403);
    assertThat(
            WriteFixture.raw(
                    f.base,
                    "PATCH",
                    PATCH_ONE + id,
                    body,
                    "Cookie",
                    cookie,
                    "X-Ferry-CSRF",
                    "guess")
                .status())
        .isEqualTo(403);
    assertThat(f.snapshot("users")).isEqualTo(before);
    assertThat(f.count("SELECT count(*) FROM ferry.audit")).isEqualTo(audits);

    String csrf =
        WriteFixture.raw(f.base, "GET", "/api/write", null, "Cookie", cookie)
            .json()
            .get("csrf")
            .asText();
    WriteFixture.Response ok =
        WriteFixture.raw(
            f.base, "PATCH", PATCH_ONE + id, body, "Cookie", cookie, "X-Ferry-CSRF", csrf);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(
            f.send("GET", "/api/audit/" + ok.json().get("audit_id").asLong(), null)
                .json()
                .get("who")
                .asText())
        .endsWith("(browser session)")
        .doesNotContain(WriteFixture.TOKEN);
    f.send("POST", "/api/audit/" + ok.json().get("audit_id").asLong() + "/undo", null);
    assertThat(f.snapshot("users")).isEqualTo(before);
  }

  @Test
  void crossOriginWritesAreRefusedWhateverTheyCarry() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("users");
    String id = anyUser(f);
    for (List<String> h :
        List.of(
            List.of("Origin", "http://evil.example"),
            List.of("Origin", "null"),
            List.of("Sec-Fetch-Site", "cross-site"),
            List.of("Sec-Fetch-Site", "same-site"))) {
      WriteFixture.Response r = f.send("DELETE", PATCH_ONE + id, null, h.get(0), h.get(1));
      assertThat(r.status()).as("%s: %s", h, r.body()).isEqualTo(403);
    }
    assertThat(
            f.send(
                    "PATCH",
                    PATCH_ONE + id,
                    "{\"profile_picture_url\": null}",
                    "Origin",
                    f.base,
                    "Prefer",
                    "tx=rollback")
                .status())
        .as("the server's own origin")
        .isEqualTo(200);
    assertThat(f.snapshot("users")).isEqualTo(before);
  }

  @Test
  void withoutWriteModeEveryWriteIs405AndNothingIsWritten() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("users");
    try (Served readOnly =
        Served.start(new ServeOptions(f.url, 0, "127.0.0.1", WriteFixture.TOKEN, 5_000))) {
      String id = anyUser(f);
      String auth = "Bearer " + WriteFixture.TOKEN;
      for (String[] req :
          new String[][] {
            {"PATCH", PATCH_ONE + id, "{\"username\": \"x\"}"},
            {"DELETE", PATCH_ONE + id, null},
            {"POST", "/api/tables/public/users/rows", "{\"id\": \"n\", \"username\": \"n\"}"},
            {"DELETE", "/api/tables/public/users/rows/" + id, null},
            {"POST", "/api/audit/1/undo", null}
          }) {
        WriteFixture.Response r =
            WriteFixture.raw(readOnly.base(), req[0], req[1], req[2], "Authorization", auth);
        assertThat(r.status()).as("%s %s: %s", req[0], req[1], r.body()).isEqualTo(405);
      }
      assertThat(
              WriteFixture.raw(readOnly.base(), "GET", "/api/write", null, "Authorization", auth)
                  .json()
                  .get("enabled")
                  .asBoolean())
          .isFalse();
    }
    assertThat(f.snapshot("users")).isEqualTo(before);
  }

  @Test
  void noSpellingOfAWritePathWritesThroughAReadOnlyExplorerWithoutAToken() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("users");
    try (Served open = Served.start(new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000))) {
      String id = anyUser(f);
      String insert = "{\"id\": \"n\", \"username\": \"n\"}";
      for (String[] req :
          new String[][] {
            {"POST", "/api/tables/public/users/rows/", insert},
            {"POST", "/api/tables/public/users/rows", insert},
            {"PATCH", PATCH_ONE + id + "/", "{\"username\": \"x\"}"},
            {"DELETE", "/api/tables/public/users/rows/" + id + "/", null},
            {"POST", "/api/audit/1/undo/", null}
          }) {
        WriteFixture.Response r = WriteFixture.raw(open.base(), req[0], req[1], req[2]);
        assertThat(r.status()).as("%s %s: %s", req[0], req[1], r.body()).isIn(403, 404, 405);
      }
    }
    assertThat(f.snapshot("users")).isEqualTo(before);
  }
}
