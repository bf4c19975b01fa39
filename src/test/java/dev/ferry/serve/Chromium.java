package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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
    return new ChromeDriver(service, options);
  }
}
