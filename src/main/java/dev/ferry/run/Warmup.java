package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.sqlite.SQLiteConfig;

/**
 * Loads and initializes, on a thread of its own, the libraries every migration uses, while the main
 * thread builds and parses the command line: measured on the 2-core machine, the start of a run was
 * one thread with the second core idle (picocli 0.4–0.6 s, then the first SQLite open 0.4 s: the
 * JDBC drivers, the native library; then the pool, Jackson, Flyway), all class loading and static
 * initialization.
 *
 * <p>It touches no file but the jar and no server: an in-memory SQLite database, objects nothing
 * uses. Two steps, each awaited before the main thread uses what it warms, so that no class is ever
 * initialized by both threads at once: the libraries (awaited when the command starts, {@link
 * #awaitLibraries}), then Flyway's classes (awaited only by a run that starts Flyway, {@link
 * #awaitFlyway}). A failure here is ignored: the main thread then meets it where it always did,
 * with its own message. Without {@link #start} (tests, other commands) both awaits return at once.
 */
final class Warmup {
  private static volatile Warmup started;

  private final CountDownLatch libraries = new CountDownLatch(1);
  private final CountDownLatch flyway = new CountDownLatch(1);
  private volatile Throwable failure;

  private Warmup() {}

  /** Starts the warm-up (once per JVM). */
  static synchronized void start() {
    if (started != null) {
      return;
    }
    Warmup w = new Warmup();
    Thread t = new Thread(w::run, "ferry-warmup");
    t.setDaemon(true);
    started = w;
    t.start();
  }

  /** Waits until the libraries are warm (no wait when no warm-up was started). */
  static void awaitLibraries() {
    Warmup w = started;
    if (w != null) {
      await(w.libraries);
    }
  }

  /** Waits until Flyway's classes are warm (no wait when no warm-up was started). */
  static void awaitFlyway() {
    Warmup w = started;
    if (w != null) {
      await(w.flyway);
    }
  }

  /** What went wrong in the warm-up, if anything (tests). */
  static Throwable failure() {
    Warmup w = started;
    return w == null ? null : w.failure;
  }

  private void run() {
    try {
      warmLibraries();
    } catch (Throwable e) { // whatever it is, the main thread meets it again
      failure = e;
    } finally {
      libraries.countDown();
    }
    try {
      warmFlyway();
    } catch (Throwable e) { // as above
      failure = e;
    } finally {
      flyway.countDown();
    }
  }

  /** Logging, the JDBC drivers, SQLite's native library and statements, the pool, Jackson. */
  private static void warmLibraries() throws Exception {
    org.slf4j.LoggerFactory.getLogger(Warmup.class);
    DriverManager.getDrivers(); // loads both drivers through the service loader
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    try (Connection c = config.createConnection("jdbc:sqlite::memory:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
      rs.next();
    }
    new HikariConfig().setPoolName("warm-up");
    Class.forName("com.zaxxer.hikari.HikariDataSource");
    new ObjectMapper().writeValueAsString(Map.of("warm", 1));
  }

  /** Flyway's configuration and plugins, without a data source (nothing is connected). */
  private static void warmFlyway() {
    MetadataSchema.flyway().load();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
