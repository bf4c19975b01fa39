package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in a real headless Chromium (Debian's chromium and chromedriver; .ci/run installs
 * them): open a table, search, page forward and back, open a row, add a JSON filter from it; page
 * state that survives Back and other tables; a bad filter that stays removable; evidence shown as
 * values; and signing in under --token, after which downloads and plain links work.
 */
class ExplorerBrowserTest {
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static ExplorerFixture f;

  @BeforeAll
  static void open() throws Exception {
    browser = Chromium.start();
    f = ExplorerFixture.get();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#grid tr.row"));
  }

  private static Object script(String js, Object... args) {
    return ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(js, args);
  }

  /** The HTTP status of a same-origin GET from the page (cookies included, no header). */
  private static long statusFromPage(String url) {
    Object status =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0]).then(r => done(r.status), e => done(-1));",
                url);
    return ((Number) status).longValue();
  }

  private static boolean previousEnabled() {
    return Boolean.TRUE.equals(
        script("const b = document.getElementById('prev'); return !!b && !b.disabled;"));
  }

  /** Read in one script call: the grid re-renders as a whole, so element handles go stale. */
  private static String firstId() {
    Object id =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript(
                "const td = document.querySelector('#grid tr.row td'); return td ? td.textContent : '';");
    return String.valueOf(id);
  }

  @Test
  void browseSearchPageOpenARowAndFilterOnAJsonField() throws Exception {
    browser.get(f.base + "/");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("a[data-table='public.tweets']")));
    assertThat(browser.findElements(By.cssSelector("a.table-link")).size())
        .isGreaterThanOrEqualTo(10);
    assertThat(browser.findElement(By.id("tables")).getText()).contains("VERIFIED");

    browser.findElement(By.cssSelector("a[data-table='public.tweets']")).click();
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 10));
    String page1 = firstId();

    // page forward and back
    browser.findElement(By.id("next")).click();
    wait.until(d -> !firstId().isEmpty() && !firstId().equals(page1));
    String page2 = firstId();
    browser.findElement(By.id("prev")).click();
    wait.until(d -> firstId().equals(page1));
    assertThat(page2).isNotEqualTo(page1);

    // search (debounced) narrows the rows to ones holding the word
    String word =
        String.valueOf(
                ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript(
                        "return document.querySelectorAll('#grid tr.row')[0].children[2].textContent;"))
            .split(" ", -1)[0];
    browser.findElement(By.id("search")).sendKeys(word);
    wait.until(d -> d.getCurrentUrl().contains("q="));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#grid tr.row")));
    assertThat(browser.getCurrentUrl())
        .contains(
            "q="
                + java.net.URLEncoder.encode(word, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20")
                    .substring(0, 1));

    // open a row and add a filter on metadata->>lang from its JSON (from a blank page: a change of
    // the hash alone would leave the search's grid on screen until the new one replaced it)
    browser.get("about:blank");
    browser.get(f.base + "/#/t/public/tweets");
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 1));
    rows().get(0).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail")));
    WebElement lang =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".json-key[data-column='metadata'][data-path='[\"lang\"]']")));
    String value = lang.getAttribute("data-value");
    lang.click();
    wait.until(d -> d.getCurrentUrl().contains("lang"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#filters .filter")));
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 0));
    assertThat(browser.findElement(By.id("filters")).getText())
        .contains("metadata->>lang")
        .contains("eq." + value);
    long expected =
        TestPostgres.count(
            f.url,
            "SELECT count(*) FROM tweets WHERE metadata->>'lang' = '"
                + value.replace("'", "''")
                + "'");
    assertThat((long) rows().size()).isEqualTo(Math.min(50, expected));
  }

  @Test
  void theRunsDashboardShowsThroughputAndVerdicts() {
    browser.get(f.base + "/#/runs");
    WebElement link =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs a")));
    link.click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#run-tables")));
    assertThat(browser.findElement(By.id("run-tables")).getText())
        .contains("tweets")
        .contains("VERIFIED")
        .contains("rows/s");
  }

  @Test
  void previousIsThePageBeforeThisOneInThisTableWhateverBackOrAnotherTableDid() {
    browser.get(f.base + "/#/t/public/tweets?limit=10");
    wait.until(d -> !firstId().isEmpty());
    String page1 = firstId();
    browser.findElement(By.id("next")).click();
    wait.until(d -> !firstId().isEmpty() && !firstId().equals(page1));
    String page2 = firstId();
    browser.findElement(By.id("next")).click();
    wait.until(d -> !firstId().isEmpty() && !firstId().equals(page2));
    String page3 = firstId();
    assertThat(page3).isNotEqualTo(page1);

    // Back to page 2, then Previous: page 1, not page 2 again
    browser.navigate().back();
    wait.until(d -> firstId().equals(page2));
    browser.findElement(By.id("prev")).click();
    wait.until(d -> firstId().equals(page1));
    assertThat(previousEnabled()).isFalse();

    // another table's first page has no Previous, whatever the last table's pages were
    browser.findElement(By.id("next")).click();
    wait.until(d -> firstId().equals(page2));
    browser.get(f.base + "/#/t/public/users?limit=2");
    wait.until(d -> !firstId().isEmpty() && !firstId().equals(page2));
    String users1 = firstId();
    assertThat(previousEnabled()).isFalse();
    browser.findElement(By.id("next")).click();
    wait.until(d -> !firstId().isEmpty() && !firstId().equals(users1));
    browser.findElement(By.id("prev")).click();
    wait.until(d -> firstId().equals(users1));

    // and coming back to the tweets' second page, Previous still leads to its first
    browser.get(f.base + "/#/t/public/tweets?limit=10");
    wait.until(d -> firstId().equals(page1));
    browser.findElement(By.id("next")).click();
    wait.until(d -> firstId().equals(page2));
    browser.findElement(By.id("prev")).click();
    wait.until(d -> firstId().equals(page1));
  }

  @Test
  void aBadFilterValueIsShownNextToTheFiltersWhichStayRemovable() {
    browser.get(f.base + "/#/t/public/tweets?created_at=gt.notadate&is_reply=is.false");
    WebElement error =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filter-error")));
    assertThat(error.getText()).isNotBlank();
    assertThat(browser.findElements(By.cssSelector("#filters .filter"))).hasSize(2);
    browser
        .findElement(By.cssSelector("#filters .filter[data-filter='created_at'] button"))
        .click();
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 0));
    assertThat(browser.findElements(By.id("filter-error"))).isEmpty();
    assertThat(browser.findElement(By.id("filters")).getText()).contains("is_reply");
  }

  @Test
  void setAsideRowsShowTheirValuesNotAnInternalMarker() throws Exception {
    String run = f.get("/api/runs").json().get("runs").get(0).get("run_id").asText();
    try (java.sql.Connection c = TestPostgres.connect(f.url);
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ferry.rejects (run_id, source_table, row_key, original_row, reason)"
                    + " VALUES (?::uuid, 'browser_test', '{\"id\": 98765432109876543210}',"
                    + " '{\"id\": 98765432109876543210, \"n\": [12345678901234567891]}',"
                    + " 'a test row')")) {
      ps.setString(1, run);
      ps.executeUpdate();
    }
    browser.get(f.base + "/#/runs/" + run + "/rejects");
    WebElement table = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("evidence")));
    wait.until(d -> table.getText().contains("browser_test"));
    assertThat(table.getText())
        .contains("98765432109876543210")
        .contains("12345678901234567891")
        .doesNotContain("__exact");
  }

  @Test
  void underATokenThePageSignsInAndDownloadsAndLinksWork() throws Exception {
    String token = "0123456789abcdef-browser";
    try (Served guarded = Served.start(new ServeOptions(f.url, 0, "127.0.0.1", token, 5_000))) {
      String base = guarded.base();
      browser.get(base + "/#/t/public/tweets");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token"))).sendKeys(token);
      browser.findElement(By.id("sign-in-button")).click();
      wait.until(
          ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 0));
      String csv = browser.findElement(By.id("export")).getAttribute("href");
      String ndjson = browser.findElement(By.id("export-ndjson")).getAttribute("href");
      for (String link :
          List.of(csv, ndjson, base + "/api/openapi.json", base + "/metrics", base + "/health")) {
        assertThat(statusFromPage(link)).as(link).isEqualTo(200);
      }
      assertThat(browser.findElement(By.id("logout")).isDisplayed()).isTrue();
      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
      assertThat(statusFromPage(csv)).isEqualTo(401);
      browser.findElement(By.id("token")).sendKeys("wrong-token");
      browser.findElement(By.id("sign-in-button")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
    }
  }
}
