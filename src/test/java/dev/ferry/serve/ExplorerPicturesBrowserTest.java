package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
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

  @Test
  @SuppressWarnings("unchecked")
  void theRunPageChartsEachTablesRateAndTimeAsFerryRecordedThem() throws Exception {
    String run = f.get("/api/runs").json().get("runs").get(0).get("run_id").asText();
    Map<String, Double> recorded = new java.util.HashMap<>();
    double wall;
    try (java.sql.Connection c = TestPostgres.connect(f.url);
        java.sql.Statement st = c.createStatement()) {
      try (java.sql.ResultSet rs =
          st.executeQuery(
              "SELECT target_table, rows_read / seconds FROM ferry.table_results WHERE run_id = '"
                  + run
                  + "' AND seconds > 0")) {
        while (rs.next()) {
          recorded.put(rs.getString(1), rs.getDouble(2));
        }
      }
      try (java.sql.ResultSet rs =
          st.executeQuery(
              "SELECT extract(epoch FROM finished_at - started_at) FROM ferry.runs WHERE run_id"
                  + " = '"
                  + run
                  + "'")) {
        rs.next();
        wall = rs.getDouble(1);
      }
    }
    assertThat(recorded).isNotEmpty();
    browser.get("about:blank");
    browser.get(f.base + "/#/runs/" + run);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#run-rate g.hbar")));
    List<Map<String, Object>> rates =
        (List<Map<String, Object>>)
            script(
                "return [...document.querySelectorAll('#run-rate g.hbar')].map(g => ({table:"
                    + " g.dataset.label, value: Number(g.dataset.value), text:"
                    + " g.querySelector('title').textContent}));");
    assertThat(rates).hasSize(recorded.size());
    for (Map<String, Object> bar : rates) {
      String table = (String) bar.get("table");
      assertThat(recorded).containsKey(table);
      assertThat(((Number) bar.get("value")).doubleValue())
          .as(table)
          .isCloseTo(recorded.get(table), org.assertj.core.data.Percentage.withPercentage(0.01));
      assertThat((String) bar.get("text")).startsWith(table + ": ").contains(" rows/s (");
    }
    // where the time went: the whole run against each table, and the caption says what is not
    // recorded rather than drawing it
    // (tables one after another: a stacked bar that adds up to it; several at a time: a bar each)
    Object drawnWall =
        script(
            "const whole = document.querySelector('#run-time [data-label=\"whole run\"]');"
                + " if (whole) return Number(whole.dataset.value);"
                + " return [...document.querySelectorAll('#run-time g.seg')]"
                + ".reduce((n, g) => n + Number(g.dataset.value), 0);");
    assertThat(((Number) drawnWall).doubleValue()).isCloseTo(wall, within(0.01));
    assertThat(browser.findElement(By.id("run-time-chart")).getText()).contains("not recorded");
    assertThat(browser.findElement(By.id("run-time")).getAttribute("aria-label"))
        .contains(recorded.keySet().iterator().next() + ": ");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNamedQuerysFormGivesWhatTheQueryGivesInSqlAndItsCsvDownloadsUnderAToken() throws Exception {
    browser.get("about:blank");
    browser.get(f.base + "/#/q/by_lang");
    wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".query-param[data-name='lang']")))
        .sendKeys("ja");
    browser.findElement(By.cssSelector(".query-param[data-name='n']")).sendKeys("7");
    browser.findElement(By.id("query-run")).click();
    wait.until(d -> d.getCurrentUrl().contains("n=7"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#query-grid td")));
    List<List<String>> shownRows =
        (List<List<String>>)
            script(
                "return [...document.querySelectorAll('#query-grid tr')].slice(1)"
                    + ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent));");
    List<List<String>> expected = new ArrayList<>();
    try (java.sql.Connection c = TestPostgres.connect(f.url);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT id, user_id, text FROM tweets WHERE metadata->>'lang' = 'ja' ORDER BY id"
                    + " LIMIT 7")) {
      while (rs.next()) {
        String text = rs.getString(3); // a cell shows 200 characters, its title the rest
        expected.add(
            List.of(
                rs.getString(1), rs.getString(2), text.substring(0, Math.min(200, text.length()))));
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(shownRows).isEqualTo(expected);
    assertThat(browser.getTitle()).startsWith("Tweets in a language (");

    String token = "0123456789abcdef-pictures";
    try (Served guarded =
        Served.start(
            new ServeOptions(
                f.url, 0, "127.0.0.1", token, 5_000, false, ExplorerFixture.QUERIES))) {
      Chromium.signIn(browser, wait, guarded.base() + "/#/q/by_lang?lang=ja&n=7", token);
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#query-grid td")));
      String csv = browser.findElement(By.id("query-csv")).getAttribute("href");
      Object body =
          ((JavascriptExecutor) browser)
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + " fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed'));",
                  csv);
      List<String> lines = ((String) body).lines().toList();
      assertThat(lines.get(0)).isEqualTo("id,user_id,text");
      assertThat(lines).hasSize(expected.size() + 1);
      for (int k = 0; k < expected.size(); k++) {
        assertThat(lines.get(k + 1)).startsWith(expected.get(k).get(0) + ",");
      }
      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
      assertThat(Chromium.statusFromPage(browser, csv)).isEqualTo(401);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRunsPageChartsASyncsLagOverTimeWithEveryPointTheApiGives() throws Exception {
    LagFixture lag = LagFixture.get();
    JsonNode sync = ExplorerFixture.fetch(lag.base + "/api/sync").json().get("syncs").get(0);
    List<Long> expected = new ArrayList<>();
    sync.get("series").forEach(p -> expected.add(p.get("lag_ms").asLong()));
    assertThat(expected).isNotEmpty();
    browser.get("about:blank");
    browser.get(lag.base + "/#/runs");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("circle.lag-point")));
    List<Number> drawn =
        (List<Number>)
            script(
                "return [...document.querySelectorAll('#sync-lag-0 circle.lag-point')]"
                    + ".map(c => Number(c.dataset.lag));");
    assertThat(drawn.stream().map(Number::longValue).toList()).isEqualTo(expected);
    // the line goes through every point; each point says what it is
    Object vertices =
        script(
            "return document.querySelector('#sync-lag-0 polyline.lag-line')"
                + ".getAttribute('points').trim().split(/\\s+/).length;");
    assertThat(((Number) vertices).intValue()).isEqualTo(expected.size());
    assertThat(
            (String)
                script(
                    "return document.querySelector('#sync-lag-0 circle.lag-point title')"
                        + ".textContent;"))
        .contains("lag ")
        .contains("backlog ")
        .contains("applied ");
    // the caption is the chart's text equivalent
    assertThat(browser.findElement(By.id("sync-caption-0")).getText())
        .contains(sync.get("source").asText())
        .contains("following")
        .contains("SQLite → PostgreSQL")
        .contains("lag p50 ")
        .contains("max ")
        .contains("at the last point (");
    assertThat(browser.findElement(By.id("sync-lag-svg-0")).getAttribute("aria-label"))
        .startsWith("Lag over time for ");
    assertThat(
            script(
                "return document.querySelectorAll('#sync-charts [style], #sync-charts script').length"))
        .isEqualTo(0L);
    // the runs table is still there, below the chart
    assertThat(browser.findElements(By.cssSelector("table#runs tr"))).isNotEmpty();
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
