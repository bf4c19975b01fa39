package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page on another origin, in the same real Chromium that is signed in to an explorer in write
 * mode: served by a second small HTTP server on 127.0.0.1 with another port, so it is the same site
 * and the browser sends the SameSite=Strict session cookie along. Its script tries every way a page
 * may send a write (fetch PATCH, DELETE and POST with credentials included, a plain HTML form POST)
 * and to read what only the signed-in page should (an export, the session's CSRF token). Nothing is
 * written in PostgreSQL, the server refuses the writes that reach it (403), and nothing it answers
 * is readable by the other origin.
 */
class ExplorerCrossOriginTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static WriteFixture f;
  private static HttpServer elsewhere;

  @BeforeAll
  static void open() throws Exception {
    browser = Chromium.start();
    f = WriteFixture.get();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    elsewhere =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    elsewhere.start();
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
    if (elsewhere != null) {
      elsewhere.stop(0);
    }
  }

  /** The other origin's page: each attempt's outcome as the page can see it, in window.results. */
  private static String page(String target, String tweet, long audit) {
    String rows = target + "/api/tables/public/tweets/rows";
    return """
        <!doctype html><html><head><title>elsewhere</title></head><body>
        <iframe name="sink"></iframe>
        <form id="form" method="post" target="sink" enctype="text/plain"
          action="TARGET/api/tables/public/users/rows">
          <input name='{"id": "from-a-form", "username": "from-a-form", "profile_data": "' value='"}'>
        </form>
        <script>
        window.results = {};
        async function attempt(name, url, init) {
          try {
            const r = await fetch(url, Object.assign({credentials: "include"}, init));
            let body;
            try { body = await r.text(); } catch (e) { body = "unreadable"; }
            results[name] = {status: r.status, type: r.type, body};
          } catch (e) {
            results[name] = {error: String(e)};
          }
        }
        (async () => {
          const json = {"Content-Type": "application/json"};
          await attempt("patch", "ROWS?id=eq.TWEET", {method: "PATCH", headers: json,
            body: JSON.stringify({text: "written from elsewhere"})});
          await attempt("delete", "ROWS?id=eq.TWEET", {method: "DELETE"});
          await attempt("delete by key", "ROWS/TWEET", {method: "DELETE"});
          await attempt("insert", "TARGET/api/tables/public/users/rows", {method: "POST",
            mode: "no-cors", headers: {"Content-Type": "text/plain"},
            body: JSON.stringify({id: "from-fetch", username: "from-fetch"})});
          await attempt("undo", "TARGET/api/audit/AUDIT/undo", {method: "POST", mode: "no-cors"});
          await attempt("export", "TARGET/api/tables/public/tweets/export?format=csv", {});
          await attempt("csrf token", "TARGET/api/write", {});
          await new Promise(done => {
            document.querySelector("iframe").onload = done;
            document.getElementById("form").submit();
          });
          document.title = "done";
        })();
        </script></body></html>
        """
        .replace("ROWS", rows)
        .replace("TARGET", target)
        .replace("TWEET", tweet)
        .replace("AUDIT", Long.toString(audit));
  }

  /** Requests the explorer answered with 403, from its own metrics. */
  private static long refused() throws Exception {
    long n = 0;
    for (String line : f.send("GET", "/metrics", null).body().lines().toList()) {
      if (line.startsWith("ferry_http_requests_seconds_count{")
          && line.contains("status=\"403\"")) {
        n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  @Test
  void aPageOnAnotherOriginWritesNothingAndReadsNothingWithTheCookiePresent() throws Exception {
    String tweet =
        f.send("GET", "/api/tables/public/tweets/rows?limit=1&order=id", null)
            .json()
            .get("rows")
            .get(0)
            .get("id")
            .asText();
    // an entry an undo would reverse, so that a forged undo would have something to write
    WriteFixture.Response change =
        f.send(
            "PATCH",
            "/api/tables/public/users/rows?id=eq."
                + f.send("GET", "/api/tables/public/users/rows?limit=1&order=id", null)
                    .json()
                    .get("rows")
                    .get(0)
                    .get("id")
                    .asText(),
            "{\"profile_picture_url\": \"x\"}");
    assertThat(change.status()).as(change.body()).isEqualTo(200);
    long audit = change.json().get("audit_id").asLong();

    String tweets = f.snapshot("tweets");
    String users = f.snapshot("users");
    long audits = f.count("SELECT count(*) FROM ferry.audit");
    long refusedBefore = refused();

    ExplorerWriteBrowserTest.openSignedIn(
        browser, wait, f.base, "#/t/public/tweets?id=eq." + tweet);
    byte[] html = page(f.base, tweet, audit).getBytes(StandardCharsets.UTF_8);
    elsewhere.createContext(
        "/",
        x -> {
          x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          x.sendResponseHeaders(200, html.length);
          x.getResponseBody().write(html);
          x.close();
        });
    String other = "http://127.0.0.1:" + elsewhere.getAddress().getPort();
    assertThat(other).isNotEqualTo(f.base);
    browser.get(other + "/");
    wait.until(d -> "done".equals(d.getTitle()));
    JsonNode results =
        JSON.valueToTree(((JavascriptExecutor) browser).executeScript("return window.results"));

    // nothing written, whatever the page tried
    assertThat(f.snapshot("tweets")).isEqualTo(tweets);
    assertThat(f.snapshot("users")).isEqualTo(users);
    assertThat(f.count("SELECT count(*) FROM ferry.audit")).isEqualTo(audits);
    assertThat(f.count("SELECT count(*) FROM ferry.audit WHERE undoes = " + audit)).isZero();

    // PATCH and DELETE need a CORS preflight this server never grants: they are never sent
    for (String name : new String[] {"patch", "delete", "delete by key"}) {
      assertThat(results.get(name).has("error")).as("%s: %s", name, results.get(name)).isTrue();
    }
    // the POSTs a page may send without asking (fetch no-cors, the form) reach the server: 403
    for (String name : new String[] {"insert", "undo"}) {
      assertThat(results.get(name).get("type").asText()).as(name).isEqualTo("opaque");
    }
    assertThat(refused() - refusedBefore).as("refused by the explorer").isGreaterThanOrEqualTo(3);
    // and what the cookie lets a GET fetch stays unreadable to the other origin
    for (String name : new String[] {"export", "csrf token"}) {
      assertThat(results.get(name).has("error")).as("%s: %s", name, results.get(name)).isTrue();
    }

    assertThat(f.send("POST", "/api/audit/" + audit + "/undo", null).status()).isEqualTo(200);
  }
}
