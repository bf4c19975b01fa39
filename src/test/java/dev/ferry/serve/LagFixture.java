package dev.ferry.serve;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code ferry sync start} (its own JVM, as a user runs it) that followed a small SQLite
 * file into a database of its own while it was written to, killed once it had recorded a few lag
 * points (so the series stays as it recorded it), and an explorer serving that database: shared by
 * the sync API and browser tests of one JVM.
 */
final class LagFixture {
  static final int POINTS = 4;

  private static LagFixture shared;

  final TargetUrl url;
  final Served explorer;
  final String base;

  private LagFixture(TargetUrl url, Served explorer) {
    this.url = url;
    this.explorer = explorer;
    this.base = explorer.base();
  }

  static synchronized LagFixture get() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("ferry-lag");
      Path db =
          Sqlite.create(
              dir.resolve("app.db"),
              "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);"
                  + " INSERT INTO note VALUES (1, 'first'), (2, 'second')");
      try (Connection c = Sqlite.open(db);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
      }
      TargetUrl url = TestPostgres.newDatabase();
      Process follower =
          new ProcessBuilder(
                  Ferry.inOwnJvm("sync", "start", db.toString(), "--target", url.display()))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("follower.log").toFile())
              .start();
      try {
        follow(db, url, follower, dir.resolve("follower.log"));
      } finally {
        follower.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5_000, false, List.of()));
      Runtime.getRuntime().addShutdownHook(new Thread(e::close));
      shared = new LagFixture(url, e);
    }
    return shared;
  }

  /** Writes a row every 200 ms until the follower has recorded {@link #POINTS} points. */
  private static void follow(Path db, TargetUrl url, Process follower, Path log) throws Exception {
    long until = System.currentTimeMillis() + 180_000; // a loaded 2-core machine copies slowly
    int id = 100;
    while (points(url) < POINTS) {
      if (!follower.isAlive() || System.currentTimeMillis() > until) {
        throw new AssertionError("no lag series recorded: " + Files.readString(log));
      }
      try (Connection c = Sqlite.open(db);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 5000");
        st.execute("INSERT INTO note VALUES (" + id++ + ", 'written while followed')");
      }
      Thread.sleep(200);
    }
  }

  private static long points(TargetUrl url) {
    boolean recorded =
        TestPostgres.count(
                url,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'ferry' AND tablename = 'sync_lag'")
            > 0;
    return recorded ? TestPostgres.count(url, "SELECT count(*) FROM ferry.sync_lag") : 0;
  }
}
