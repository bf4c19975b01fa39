package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The write mode in a real headless Chromium, signed in under {@code --write --token}: a bulk
 * update of a filtered grid whose preview counts exactly the rows PostgreSQL then changes,
 * confirmed from the keyboard, audited and undone to the table as it was; a row edited and deleted
 * from its page and both undone; and the grid's CSV link, a plain link, downloading under the
 * token.
 */
class ExplorerWriteBrowserTest {
  private static final String NEW_URL = "https://example.org/bulk-from-the-browser";
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static WriteFixture f;

  @BeforeAll
  static void open() throws Exception {
    browser = Chromium.start();
    f = WriteFixture.get();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  /** Opens {@code hash} of {@code base}, signing in with the token when the page asks for it. */
  static void openSignedIn(WebDriver browser, WebDriverWait wait, String base, String hash) {
    browser.get("about:blank"); // a page load, not a hash change: nothing of the last page is left
    browser.get(base + "/" + hash);
    wait.until(
        d ->
            !d.findElements(By.id("token")).isEmpty()
                || !d.findElements(By.id("write-tools")).isEmpty());
    if (!browser.findElements(By.id("token")).isEmpty()) {
      browser.findElement(By.id("token")).sendKeys(WriteFixture.TOKEN);
      browser.findElement(By.id("sign-in-button")).click();
    }
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("write-tools")));
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static long latestAudit() {
    return f.count("SELECT coalesce(max(audit_id), 0) FROM ferry.audit");
  }

  @Test
  void aBulkUpdateIsPreviewedConfirmedAuditedAndUndoneFromTheGrid() throws Exception {
    String before = f.snapshot("tweets");
    long expected = f.count("SELECT count(*) FROM tweets WHERE is_reply");
    assertThat(expected).as("the fixture has replies").isPositive();
    openSignedIn(browser, wait, f.base, "#/t/public/tweets?is_reply=is.true");

    browser.findElement(By.id("bulk-update")).click();
    new Select(browser.findElement(By.id("bulk-column"))).selectByValue("url");
    browser.findElement(By.id("bulk-value")).sendKeys(NEW_URL, Keys.ENTER); // Enter: the preview
    WebElement question =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("write-question")));
    long previewed = Long.parseLong(question.getAttribute("data-count"));
    assertThat(previewed).isEqualTo(expected);
    assertThat(question.getText())
        .contains("Update " + previewed + " row")
        .contains("public.tweets where is_reply is true")
        .contains("set url = \"" + NEW_URL + "\"");
    assertThat(f.snapshot("tweets")).as("a preview writes nothing").isEqualTo(before);

    // the confirmation has the focus: Enter writes
    assertThat(browser.switchTo().activeElement().getAttribute("id"))
        .isEqualTo("write-confirm-button");
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    wait.until(d -> text("write-result").contains("Updated"));
    assertThat(f.count("SELECT count(*) FROM tweets WHERE url = '" + NEW_URL + "'"))
        .as("rows changed in PostgreSQL")
        .isEqualTo(previewed);
    assertThat(f.count("SELECT count(*) FROM tweets WHERE url = '" + NEW_URL + "' AND is_reply"))
        .isEqualTo(previewed);
    long update = latestAudit();
    assertThat(text("write-result")).contains("Updated " + previewed).contains("#" + update);
    wait.until(d -> text("grid").contains(NEW_URL)); // the grid was drawn again
    assertThat(
            f.count(
                "SELECT count(*) FROM ferry.audit WHERE audit_id = "
                    + update
                    + " AND action = 'update' AND row_count = "
                    + previewed
                    + " AND filters ? 'is_reply' AND who LIKE 'token hmac:% (browser session)'"))
        .isOne();

    // Undo: the old values are back, and the undo is an entry that points at the update
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("write-undo");
    browser.findElement(By.id("write-undo")).click();
    wait.until(d -> text("write-result").contains("Undone"));
    assertThat(f.snapshot("tweets")).isEqualTo(before);
    assertThat(
            f.count(
                "SELECT count(*) FROM ferry.audit u JOIN ferry.audit o ON o.audit_id = u.undoes"
                    + " WHERE o.audit_id = "
                    + update
                    + " AND o.undone_by = u.audit_id AND u.row_count = "
                    + previewed))
        .isOne();
    wait.until(d -> !text("grid").contains(NEW_URL));
  }

  @Test
  void aRowIsEditedAndDeletedFromItsPageAndBothAreUndone() throws Exception {
    String before = f.snapshot("tweets");
    String id;
    try (var c = dev.ferry.testing.TestPostgres.connect(f.url);
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT id FROM tweets ORDER BY id DESC LIMIT 1")) {
      rs.next();
      id = rs.getString(1);
    }
    openSignedIn(browser, wait, f.base, "#/r/public/tweets?id=" + id);

    browser.findElement(By.id("row-edit")).click();
    WebElement textField = browser.findElement(By.cssSelector("#row-edit-form [data-col='text']"));
    textField.clear();
    textField.sendKeys("edited in the browser");
    browser.findElement(By.id("row-save")).click();
    wait.until(d -> text("write-result").contains("Updated the row id = " + id));
    assertThat(f.count("SELECT count(*) FROM tweets WHERE text = 'edited in the browser'")).isOne();
    assertThat(
            f.count(
                "SELECT count(*) FROM tweets WHERE id = '"
                    + id
                    + "' AND text = 'edited in the browser'"))
        .isOne();
    wait.until(d -> text("detail").contains("edited in the browser"));
    browser.findElement(By.id("write-undo")).click();
    wait.until(d -> text("write-result").contains("Undone"));
    assertThat(f.snapshot("tweets")).isEqualTo(before);

    browser.findElement(By.id("row-delete")).click();
    WebElement confirm =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("write-confirm-button")));
    assertThat(text("write-question")).contains("Delete the row id = " + id);
    confirm.click();
    wait.until(d -> d.getCurrentUrl().endsWith("#/t/public/tweets"));
    wait.until(d -> text("write-result").contains("Deleted the row id = " + id));
    assertThat(f.count("SELECT count(*) FROM tweets WHERE id = '" + id + "'")).isZero();
    browser.findElement(By.id("write-undo")).click();
    wait.until(d -> text("write-result").contains("Undone"));
    assertThat(f.snapshot("tweets")).isEqualTo(before);
    browser.findElement(By.id("write-row")).click();
    wait.until(d -> text("detail").contains(id));
  }

  @Test
  void theGridsCsvLinkDownloadsUnderTheTokenAndBulkToolsNeedAFilter() throws Exception {
    openSignedIn(browser, wait, f.base, "#/t/public/tweets");
    assertThat(text("write-note")).contains("Add a filter");
    assertThat(browser.findElements(By.id("bulk-delete"))).isEmpty();

    openSignedIn(browser, wait, f.base, "#/t/public/tweets?is_reply=is.false");
    Path dir = Files.createTempDirectory("ferry-downloads");
    ((ChromiumDriver) browser)
        .executeCdpCommand(
            "Browser.setDownloadBehavior",
            Map.of("behavior", "allow", "downloadPath", dir.toString()));
    browser.findElement(By.id("export")).click(); // a plain link: the session cookie, no header
    wait.until(d -> complete(dir).size() == 1);
    String csv = Files.readString(complete(dir).get(0));
    assertThat(records(csv) - 1)
        .as("data records of %s", complete(dir).get(0))
        .isEqualTo(f.count("SELECT count(*) FROM tweets WHERE NOT is_reply"));
    assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie"))
        .as("the session cookie is HttpOnly")
        .isEqualTo("");
  }

  @Test
  void exportThenDeleteDownloadsTheRowsBeforeDeletingThemAndUndoBringsThemBack() throws Exception {
    String before = f.snapshot("tweets");
    String filter = "metadata->>lang=eq.fr";
    long expected = f.count("SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'fr'");
    assertThat(expected).as("the fixture has French tweets").isPositive();
    Path dir = Files.createTempDirectory("ferry-export-delete");
    openSignedIn(browser, wait, f.base, "#/t/public/tweets?" + filter.replace(">", "%3E"));
    ((ChromiumDriver) browser)
        .executeCdpCommand(
            "Browser.setDownloadBehavior",
            Map.of("behavior", "allow", "downloadPath", dir.toString()));

    browser.findElement(By.id("bulk-delete")).click();
    WebElement question =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("write-question")));
    assertThat(Long.parseLong(question.getAttribute("data-count"))).isEqualTo(expected);
    assertThat(question.getText())
        .isEqualTo("Delete " + expected + " rows of public.tweets where metadata->>lang eq fr?");
    assertThat(f.snapshot("tweets")).as("a preview deletes nothing").isEqualTo(before);
    assertThat(question.getCssValue("font-weight"))
        .as("write.js's styles, from app.css")
        .isEqualTo("600");
    assertThat(Chromium.cspViolations(browser)).as("the page's CSP refused nothing").isEmpty();
    browser.findElement(By.id("export-then-delete")).click();
    wait.until(d -> text("write-result").contains("Downloaded, then deleted " + expected));
    wait.until(d -> complete(dir).size() == 1);
    assertThat(records(Files.readString(complete(dir).get(0))) - 1).isEqualTo(expected);
    assertThat(f.count("SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'fr'")).isZero();
    assertThat(browser.findElements(By.cssSelector("#grid tr.row"))).isEmpty();

    browser.findElement(By.id("write-undo")).click();
    wait.until(d -> text("write-result").contains("Undone"));
    assertThat(f.snapshot("tweets")).isEqualTo(before);
  }

  /** CSV records: line ends outside quotes (a text may hold a line break). */
  private static long records(String csv) {
    long n = 0;
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char ch = csv.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == '\n' && !quoted) {
        n++;
      }
    }
    return n;
  }

  private static List<Path> complete(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".csv")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
