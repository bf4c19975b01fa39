package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer's reading side in a real headless Chromium: the filtered count line, facet bars that
 * click into filters, foreign keys as links from the grid and the row page (with the label column),
 * the SQL console with a parameter and its export, and tab titles that say where you are.
 */
class ExplorerReadBrowserTest {
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

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  @Test
  void facetBarsClickIntoAFilterAndTheCountLineFollows() {
    browser.get(f.base + "/#/t/public/tweets?_facet=" + enc("metadata->>lang"));
    WebElement first =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".facet[data-facet='metadata->>lang'] a.facet-value")));
    wait.until(d -> !d.findElement(By.id("count-line")).getText().isEmpty());
    assertThat(browser.findElement(By.id("count-line")).getText())
        .isEqualTo(ExplorerFixture.TWEETS + " rows");
    assertThat(browser.getTitle()).isEqualTo("public.tweets · Ferry");
    List<Integer> widths = new ArrayList<>();
    browser
        .findElements(By.cssSelector(".facet[data-facet='metadata->>lang'] .bar"))
        .forEach(b -> widths.add(b.getSize().getWidth()));
    assertThat(widths)
        .as("bars drawn to scale, the longest 100 px")
        .contains(100)
        .allMatch(w -> w >= 2);
    assertThat(Chromium.cspViolations(browser)).as("the page's CSP refused nothing").isEmpty();
    String value = first.getAttribute("data-value");
    long expected =
        TestPostgres.count(
            f.url,
            "SELECT count(*) FROM tweets WHERE metadata->>'lang' = '"
                + value.replace("'", "''")
                + "'");
    first.click();
    wait.until(d -> d.getCurrentUrl().contains("eq." + enc(value).replace("+", "%20")));
    wait.until(
        d ->
            d.findElement(By.id("count-line"))
                .getText()
                .startsWith(String.format("%,d rows where", expected)));
    assertThat(browser.findElement(By.id("count-line")).getText())
        .isEqualTo(String.format("%,d rows where metadata->>lang eq %s", expected, value));
    assertThat(browser.getTitle()).contains("public.tweets where metadata->>lang eq " + value);
    assertThat(browser.findElement(By.id("filters")).getText()).contains("metadata->>lang");
  }

  @Test
  void foreignKeysAreLinksFromTheGridAndTheRowPageAndBack() {
    browser.get(f.base + "/#/t/public/tweets?limit=10");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#grid a.fk")));
    // read in one script call: the grid may re-render, so element handles can go stale
    String[] fk =
        String.valueOf(
                script(
                    "const a = document.querySelector('#grid a.fk');"
                        + " return a.textContent + '\\n' + a.getAttribute('href');"))
            .split("\n", 2);
    String userId = fk[0];
    assertThat(fk[1]).endsWith("#/r/public/users?id=" + enc(userId));
    // a row is a real link, reachable by keyboard: focus it and press Enter
    // the grid may redraw between two reads: each step looks the link up again (wait ignores stale)
    By rowLink = By.cssSelector("#grid a.row-link");
    String tweetId = wait.until(d -> d.findElement(rowLink).getText());
    wait.until(
        d -> {
          d.findElement(rowLink).sendKeys(org.openqa.selenium.Keys.ENTER);
          return true;
        });
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail")));
    assertThat(browser.getTitle()).isEqualTo("tweets " + tweetId + " · Ferry");
    WebElement ref = browser.findElement(By.cssSelector("a.ref-link"));
    String author = ref.getText();
    assertThat(author).isNotBlank().isNotEqualTo(userId); // the username, not the key
    assertThat(browser.findElement(By.id("main")).getText()).contains("(username)");
    ref.click();
    wait.until(d -> d.getCurrentUrl().contains("#/r/public/users"));
    WebElement back =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.xpath(
                    "//li[starts-with(., 'public.tweets.user_id')]/a[@class='referenced-by']")));
    assertThat(browser.findElement(By.id("main")).getText()).contains("public.tweets.user_id");
    back.click();
    wait.until(d -> d.getCurrentUrl().contains("/t/public/tweets?user_id=eq."));
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grid tr.row"), 0));
    assertThat(browser.getTitle()).startsWith("public.tweets where user_id eq ");
  }

  @Test
  void theSqlConsoleRunsAParameterizedQueryAndRefusesWrites() {
    browser.get(f.base + "/#/sql");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sql")));
    assertThat(browser.getTitle()).isEqualTo("SQL · Ferry");
    browser
        .findElement(By.id("sql"))
        .sendKeys("SELECT count(*) AS n FROM tweets WHERE metadata->>'lang' = :lang");
    browser.findElement(By.id("sql-run")).click();
    WebElement param =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".sql-param[data-name='lang']")));
    param.sendKeys("en");
    browser.findElement(By.id("sql-run")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sql-grid td")));
    long english =
        TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'en'");
    assertThat(browser.findElement(By.cssSelector("#sql-grid td")).getText())
        .isEqualTo(String.valueOf(english));
    assertThat(browser.getTitle()).startsWith("SQL: SELECT count(*)");
    assertThat(browser.findElement(By.id("sql-csv")).getAttribute("href")).contains("format=csv");

    browser.get(f.base + "/#/sql?sql=" + enc("DELETE FROM tweets"));
    WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sql-error")));
    assertThat(error.getText()).contains("only queries");
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
    script("return 1;");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
