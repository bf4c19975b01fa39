package dev.ferry.testing;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: Ferry's own embedded server, with its data under target/, started
 * once per test JVM and stopped when the JVM exits. Each caller gets a database of its own.
 */
public final class TestPostgres {
  /** A role that must log in with a password (pg_hba requires scram for it), for auth tests. */
  public static final String PASSWORD_USER = "ferry_pw";

  public static final String PASSWORD = "s3cret-Pa55";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedServer server;
  private static TargetUrl admin;

  private TestPostgres() {}

  /** A new, empty database; returns its URL. */
  public static synchronized TargetUrl newDatabase() {
    start();
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = connect(admin);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return TargetUrl.parse("postgresql://postgres@127.0.0.1:" + server.port() + "/" + name);
  }

  /** The single number a query returns (a count, a sum). */
  public static long count(TargetUrl url, String sql) {
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Stops and starts the server (fast shutdown: every connection is cut), as an outage would. */
  public static synchronized void restart() {
    start();
    // flush what earlier tests wrote (hundreds of databases' files) first: on a loaded machine the
    // shutdown checkpoint could otherwise outlast pg_ctl's 60 s wait, and the outage never ends
    try (Connection c = connect(admin);
        Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot checkpoint the test server", e);
    }
    server.stop();
    server.start();
  }

  public static int port() {
    start();
    return server.port();
  }

  public static Connection connect(TargetUrl url) throws SQLException {
    Properties p = url.properties();
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  /**
   * Test data is disposable: a data directory an older bundled PostgreSQL made (a build before the
   * upgrade, same target/) is removed instead of refused as a user's would be.
   */
  private static void discardOtherMajor(Path data) {
    Path version = data.resolve("PG_VERSION");
    try {
      if (Files.exists(version)
          && !Files.readString(version)
              .trim()
              .equals(EmbeddedServer.majorOf(EmbeddedServer.postgresVersion()))) {
        try (var files = Files.walk(data)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void start() {
    if (server != null) {
      return;
    }
    Path work = Paths.get("target", "test-pg").toAbsolutePath();
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    EmbeddedServer candidate = EmbeddedServer.in(work);
    discardOtherMajor(candidate.dataDirectory());
    boolean fresh = !Files.exists(candidate.dataDirectory().resolve("PG_VERSION"));
    admin = candidate.start(); // set only once started: a failed start fails every test plainly
    server = candidate;
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-test-postgres"));
    try (Connection c = connect(admin);
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + PASSWORD_USER
              + "') THEN CREATE ROLE "
              + PASSWORD_USER
              + " LOGIN SUPERUSER PASSWORD '"
              + PASSWORD
              + "'; END IF; END $$");
      if (fresh
          || !Files.readString(server.dataDirectory().resolve("pg_hba.conf"))
              .contains(PASSWORD_USER)) {
        Path hba = server.dataDirectory().resolve("pg_hba.conf");
        Files.writeString(
            hba,
            "host all " + PASSWORD_USER + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        st.execute("SELECT pg_reload_conf()");
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot prepare the test server", e);
    }
  }
}
