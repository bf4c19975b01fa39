package dev.ferry.sync;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a follower must survive between its runs: the backups' retention pruning the initial copy's
 * snapshot, losing its PostgreSQL session (and with it its lease) to another follower, and a {@code
 * sync stop} that removed SQLite's side but not PostgreSQL's before a new {@code sync start}.
 */
class RestartTest {
  static final String SCHEMA =
      """
      CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT, n INTEGER);
      INSERT INTO note VALUES (1, 'one', 1), (2, 'two', 2), (3, NULL, 3);
      """;

  @TempDir Path tmp;

  @Test
  void prunedSnapshotLostLeaseAndHalfStoppedSyncNeverLoseOrSkipChanges() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("notes.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    sync.start();
    sync.caughtUp(180_000); // a loaded 2-core machine copies slowly

    // 1. retention prunes every backup copy while the sync exists: a restarted follower still plans
    sync.kill();
    deleteTree(tmp.resolve(".ferry").resolve("backups"));
    write(db, "INSERT INTO note VALUES (4, 'while down', 4)");
    sync.start();
    sync.caughtUp(60_000);
    assertThat(count(url, "SELECT count(*) FROM note WHERE id = 4")).isOne();

    // 2. the follower's session is cut and another session takes its lock: it must not apply
    try (Connection other = TestPostgres.connect(url);
        Statement st = other.createStatement()) {
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <>"
              + " pg_backend_pid()");
      try (PreparedStatement ps =
          other.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 14))")) {
        ps.setString(1, "ferry sync " + db.toAbsolutePath().normalize());
        ps.execute();
      }
      write(db, "INSERT INTO note VALUES (5, 'no lease', 5)");
      assertThat(sync.follower().waitFor(60, TimeUnit.SECONDS)).as(sync.output()).isTrue();
      assertThat(sync.follower().exitValue()).as(sync.output()).isNotZero();
      assertThat(sync.output()).contains("lease");
      assertThat(count(url, "SELECT count(*) FROM note WHERE id = 5")).isZero();
    }
    sync.start(); // the other session is gone: this one takes the lease and applies
    sync.caughtUp(60_000);
    assertThat(count(url, "SELECT count(*) FROM note WHERE id = 5")).isOne();

    // 3. a stop that removed SQLite's capture but failed before PostgreSQL's state
    sync.kill();
    try (Connection c = Sqlite.open(db)) {
      Capture.remove(c);
    }
    write(db, "UPDATE note SET body = NULL WHERE id = 1");
    sync.start(); // installs a new capture whose changes number from 1 again
    sync.caughtUp(90_000);
    write(db, "INSERT INTO note VALUES (6, 'after restart', 6)", "DELETE FROM note WHERE id = 2");
    sync.caughtUp(30_000);
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all() + sync.output()).isZero();
    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(10, TimeUnit.SECONDS)).as(sync.output()).isTrue();
    assertThat(sync.output()).contains("starting over");
  }

  private static void write(Path db, String... sql) throws Exception {
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 5000");
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
