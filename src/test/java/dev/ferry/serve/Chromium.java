package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium for the browser tests: required under CI (.ci/run installs it), the
 * test skipped with the reason where it is not installed.
 */
final class Chromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  static WebDriver start() {
    boolean ci = System.getenv("CI") != null || Boolean.getBoolean("ferry.browser.required");
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (ci) {
      assertThat(present).as("chromium and chromedriver (.ci/run installs them)").isTrue();
    }
    Assumptions.assumeTrue(present, "chromium and chromedriver are not installed");
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
    ChromeDriver driver = new ChromeDriver(service, options);
    // every page records the Content-Security-Policy violations it meets, for cspViolations()
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        java.util.Map.of(
            "source",
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
                + " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' '"
                + " + (e.sample || '')));"));
    return driver;
  }

  /** What the current page's Content-Security-Policy refused so far (empty when nothing). */
  static List<?> cspViolations(WebDriver browser) {
    Object v = ((JavascriptExecutor) browser).executeScript("return window.__csp || []");
    return (List<?>) v;
  }

  /** A wait of 15 s that looks elements up again when the page redrew them meanwhile. */
  static WebDriverWait waiting(WebDriver browser) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** The HTTP status of a same-origin GET from the page (its cookies, no header). */
  static long statusFromPage(WebDriver browser, String url) {
    Object status =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " fetch(arguments[0]).then(r => done(r.status), e => done(-1));",
                url);
    return ((Number) status).longValue();
  }

  /** Opens {@code url} on an explorer under {@code token} and signs in through the page's form. */
  static void signIn(WebDriver browser, WebDriverWait wait, String url, String token) {
    browser.get("about:blank"); // a page load, not a hash change
    browser.get(url);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token"))).sendKeys(token);
    browser.findElement(By.id("sign-in-button")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token")));
  }
}
