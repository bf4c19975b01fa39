package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer's pictures in a real headless Chromium, against the shared seed-001 explorer: the
 * histogram's bars count what a direct SQL count of their filter counts and click (or Enter) into
 * that filter; the runs dashboard draws its charts for the run that loaded the fixture; and the
 * named-query page's form gives what the query gives in SQL, its CSV downloadable under a token.
 */
class ExplorerPicturesBrowserTest {
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static ExplorerFixture f;

  @BeforeAll
  static void open() throws Exception {
    browser = Chromium.start();
    f = ExplorerFixture.get();
    wait = Chromium.waiting(browser);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyHistogramBarCountsWhatItsFilterCountsAndEnterOpensThatFilter() {
    browser.get("about:blank");
    browser.get(f.base + "/#/t/public/tweets?_hist=created_at");
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("a.hist-bar"), 1));
    // read every bar in one script call: the page may redraw between two reads
    List<Map<String, Object>> bars =
        (List<Map<String, Object>>)
            script(
                "return [...document.querySelectorAll('a.hist-bar')].map(a => ({href:"
                    + " a.getAttribute('href'), count: Number(a.dataset.count), label:"
                    + " a.getAttribute('aria-label'), title: a.querySelector('title').textContent}));");
    long total = 0;
    Map<String, Object> chosen = null;
    for (Map<String, Object> bar : bars) {
      long count = ((Number) bar.get("count")).longValue();
      String href = (String) bar.get("href");
      assertThat(count).as(href).isEqualTo(sqlCount(href));
      assertThat(bar.get("label")).isEqualTo(bar.get("title")).asString().endsWith(" rows");
      total += count;
      if (chosen == null && count > 0 && href.contains("gte.") && href.contains("lt.")) {
        chosen = bar;
      }
    }
    assertThat(total).isEqualTo(ExplorerFixture.TWEETS); // created_at is NOT NULL
    assertThat(browser.findElement(By.id("histogram-caption")).getText())
        .contains("created_at")
        .doesNotContain("sampled"); // 600 rows: counted exactly
    assertThat(chosen).as("a bar with both bounds and rows in it").isNotNull();

    // keyboard reachable: the bar takes focus, and Enter follows it
    String href = (String) chosen.get("href");
    Object focused =
        script(
            "const a = [...document.querySelectorAll('a.hist-bar')]"
                + ".find(x => x.getAttribute('href') === arguments[0]);"
                + " a.focus(); return document.activeElement === a;",
            href);
    assertThat(focused).isEqualTo(true);
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    long expected = ((Number) chosen.get("count")).longValue();
    wait.until(d -> d.getCurrentUrl().contains("created_at=gte."));
    wait.until(
        d ->
            d.findElement(By.id("count-line"))
                .getText()
                .startsWith(String.format("%,d rows where created_at gte ", expected)));
    assertThat(browser.findElement(By.id("filters")).getText()).contains("created_at gte.");
    // the histogram follows the filter: all its rows are now in the chosen bucket's range
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("a.hist-bar"), 0));
    Object drawn =
        script(
            "return [...document.querySelectorAll('a.hist-bar')]"
                + ".reduce((n, a) => n + Number(a.dataset.count), 0);");
    assertThat(((Number) drawn).longValue()).isEqualTo(expected);
  }

  /** What PostgreSQL counts under a bar's filters (C=gte.X, C=lt.Y), read from its link. */
  private static long sqlCount(String href) {
    List<String> where = new ArrayList<>();
    for (String pair : href.substring(href.indexOf('?') + 1).split("&", -1)) {
      String[] kv = pair.split("=", 2);
      String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
      String value = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      if (name.startsWith("_") || name.equals("limit")) { // the view, not a filter
        continue;
      }
      assertThat(name).isEqualTo("created_at");
      String op = value.startsWith("gte.") ? ">=" : value.startsWith("lt.") ? "<" : null;
      assertThat(op).as(value).isNotNull();
      String literal = value.substring(value.indexOf('.') + 1).replace("'", "''");
      where.add("created_at " + op + " '" + literal + "'");
    }
    return TestPostgres.count(
        f.url,
        "SELECT count(*) FROM tweets"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)));
  }
}
