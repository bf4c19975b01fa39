package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in a real headless Chromium (Debian's chromium and chromedriver; .ci/run installs
 * them): open a table, search, page forward and back, open a row, add a JSON filter from it.
 */
class ExplorerBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static ExplorerFixture f;

  @BeforeAll
  static void open() throws Exception {
    boolean ci = System.getenv("CI") != null || Boolean.getBoolean("ferry.browser.required");
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (ci) {
      assertThat(present).as("chromium and chromedriver (.ci/run installs them)").isTrue();
    }
    Assumptions.assumeTrue(present, "chromium and chromedriver are not installed");
    f = ExplorerFixture.get();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
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

    // open a row and add a filter on metadata->>lang from its JSON
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
}
