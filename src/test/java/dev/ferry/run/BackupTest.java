package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run reads one consistent backup copy, even while an application keeps writing. */
class BackupTest {
  @TempDir Path tmp;

  /** WAL databases are copied with SQLite's backup API, rollback-journal ones as a locked file. */
  @ParameterizedTest(name = "journal_mode {0}")
  @ValueSource(strings = {"WAL", "DELETE"})
  void aWriterDuringTheRunStillGivesOneConsistentSnapshot(String journalMode) throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("live.db"),
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT);\n"
                + "CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER, note TEXT)");
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = " + journalMode);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    Thread writer =
        new Thread(
            () -> {
              try (Connection c = Sqlite.open(db);
                  Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                while (!stop.get()) { // every order comes with exactly one line, in one transaction
                  st.execute("BEGIN IMMEDIATE");
                  st.execute("INSERT INTO orders (note) VALUES ('" + "x".repeat(200) + "')");
                  st.execute(
                      "INSERT INTO lines (order_id, note) VALUES (last_insert_rowid(), 'y')");
                  st.execute("COMMIT");
                  written.incrementAndGet();
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    while (written.get() < 2000) {
      Thread.sleep(10);
    }
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run(
            "migrate", db, "--target", url.display(), "-q", "--backup-dir", tmp.resolve("backups"));
    stop.set(true);
    writer.join();
    assertThat(r.exitCode()).as(r.all()).isZero();
    Path runDir;
    try (Stream<Path> dirs = Files.list(tmp.resolve("backups"))) {
      runDir = dirs.findFirst().orElseThrow();
    }
    Path copy = runDir.resolve("live.db");
    try (Connection c = Sqlite.open(copy);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      long orders = one(st, "SELECT count(*) FROM orders");
      assertThat(one(st, "SELECT count(*) FROM lines"))
          .as("one snapshot: every order has its line")
          .isEqualTo(orders);
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM orders"))
          .as("the run read the copy")
          .isEqualTo(orders);
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM lines")).isEqualTo(orders);
      assertThat(written.get()).as("the writer went on meanwhile").isGreaterThan(orders);
    }
    JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
    assertThat(manifest.get("copy_crc32c").asText()).isEqualTo(Backup.crc32c(copy));
    assertThat(manifest.get("source").asText()).endsWith("live.db");
    assertThat(runDir.getFileName().toString()).isEqualTo(manifest.get("run_id").asText());
  }

  @Test
  void noBackupReadsTheSourceAndKeepsNothing() {
    Path db =
        Sqlite.create(tmp.resolve("s.db"), "CREATE TABLE t (v TEXT);\nINSERT INTO t VALUES ('a')");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q", "--no-backup");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(tmp.resolve("backups")).doesNotExist();
  }

  private static long one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A resumed run reads the interrupted run's copy: a copy changed since it was taken (any byte, or
   * cut short) is refused with the reason, never read.
   */
  @Test
  void aResumedRunRefusesACopyThatNoLongerMatchesItsManifest() throws Exception {
    Path db =
        Sqlite.create(tmp.resolve("app.db"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
              + " INSERT INTO t SELECT i, hex(randomblob(40)) FROM n");
    }
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 5; round++) {
      java.util.UUID run = java.util.UUID.randomUUID();
      Backup backup =
          Backup.take(dev.ferry.source.sqlite.SqliteSource.open(db), tmp.resolve("b" + round));
      backup.awaitDurable(run);
      Backup.check(backup.copy(), run); // as taken: accepted
      byte[] bytes = Files.readAllBytes(backup.copy());
      if (round == 0) {
        Files.write(backup.copy(), java.util.Arrays.copyOf(bytes, bytes.length - 4096));
      } else {
        int at = random.nextInt(bytes.length);
        bytes[at] ^= (byte) (1 << random.nextInt(8));
        Files.write(backup.copy(), bytes);
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backup.check(backup.copy(), run))
          .hasMessageContaining(run.toString())
          .hasMessageContaining("has changed since")
          .hasMessageContaining("--if-exists drop");
    }
  }

  /**
   * A WAL database bigger than one backup step, under an application writing all the time: the copy
   * finishes (copied a hundred pages per step, SQLite's backup started over at every write of
   * another connection and never finished a 546 MB file under 500 writes/s) and is consistent.
   */
  @Test
  void aBigWalDatabaseIsCopiedWhileTheApplicationKeepsWriting() throws Exception {
    Path db =
        Sqlite.create(tmp.resolve("busy.db"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = WAL");
      st.execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
              + " INSERT INTO t SELECT i, hex(randomblob(500)) FROM n"); // about 20 MB
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    Thread writer =
        new Thread(
            () -> {
              try (Connection c = Sqlite.open(db);
                  Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                while (!stop.get()) {
                  st.execute("INSERT INTO t (v) VALUES ('w')");
                  written.incrementAndGet();
                  Thread.sleep(2);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writer.start();
    try {
      while (written.get() < 50) {
        Thread.sleep(10);
      }
      Backup backup =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofMinutes(3),
              () -> Backup.take(dev.ferry.source.sqlite.SqliteSource.open(db), tmp.resolve("b")));
      assertThat(written.get()).as("the application went on writing").isGreaterThan(50);
      try (Connection c = Sqlite.open(backup.copy());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }
}
