package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --jobs} above 1 the verdicts (the server's checksums) are computed on a thread of
 * their own while the keys stage (foreign keys, ANALYZE, views) runs ({@link VerdictsAhead}). A
 * failure on either side during that overlap must end the run exactly as it would without the
 * overlap, never with a ✓ over a table whose checksum was not compared, and leave no thread or
 * connection behind; a kill at any point of it must resume to every table VERIFIED, every row once.
 */
class VerifyOverlapFailuresTest {
  /** What the server runs for a table's checksum ({@code ChecksumSql.table}). */
  private static final String CHECKSUM = "SELECT count(*), coalesce(sum(%";

  @TempDir Path tmp;

  @Test
  void aKeysStageThatRefusesKeysAndViewsEndsAsItWouldWithoutTheOverlap() throws Exception {
    Random random = new Random(20261128);
    for (int round = 0; round < 2; round++) {
      Path db = failingKeys(tmp.resolve("keys" + round + ".db"), random);
      List<String> outcomes = new ArrayList<>();
      for (String jobs : List.of("1", "3")) {
        TargetUrl url = TestPostgres.newDatabase();
        Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q", "--jobs", jobs);
        assertThat(r.exitCode()).as(r.all()).isNotZero(); // views the target refused
        outcomes.add(r.exitCode() + "\n" + runRow(url) + "\n" + tableResults(url));
        assertNothingLeftBehind(url);
      }
      assertThat(outcomes.get(1)).as("round " + round).isEqualTo(outcomes.get(0));
    }
  }

  @Test
  void aChecksumCancelledMidOverlapFailsTheRunWithoutAVerdict() throws Exception {
    Path db = tables(tmp.resolve("cancel.db"), 60_000);
    int landed = 0;
    for (int round = 0; round < 4 && landed < 2; round++) {
      TargetUrl url = TestPostgres.newDatabase();
      CompletableFuture<Ferry.Result> run =
          CompletableFuture.supplyAsync(
              () -> Ferry.run("migrate", db, "--target", url.display(), "--jobs", "2"));
      boolean cancelled = signalChecksum(url, run, "pg_cancel_backend");
      Ferry.Result r = run.get(120, TimeUnit.SECONDS);
      assertNothingLeftBehind(url);
      String state = runRow(url);
      if (r.exitCode() == 0) { // the query ended before the signal reached it: really verified
        assertThat(state).startsWith("succeeded 0");
        assertThat(verified(url)).isEqualTo(3);
        continue;
      }
      assertThat(cancelled).as(r.all()).isTrue();
      landed++;
      // documented: the statement cancelled is the target not answering (exit 2), at verify
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains("cannot compute the checksum of").contains("cannot answer");
      assertThat(state).startsWith("failed 2 FAILED during verify");
      assertThat(r.out()).doesNotContain("VERIFIED").doesNotContain("✓");
      assertThat(verified(url)).as("no table recorded verified").isZero();
      // and the run resumes to every table verified
      Ferry.Result again = Ferry.run("migrate", db, "--target", url.display(), "-q");
      assertThat(again.exitCode()).as(again.all()).isZero();
      assertThat(verified(url)).isEqualTo(3);
    }
    assertThat(landed).as("a cancel reached a running checksum query").isPositive();
  }

  @Test
  void aChecksumWhoseConnectionIsTerminatedIsComputedAgainNotAssumed() throws Exception {
    Path db = tables(tmp.resolve("terminate.db"), 60_000);
    TargetUrl url = TestPostgres.newDatabase();
    CompletableFuture<Ferry.Result> run =
        CompletableFuture.supplyAsync(
            () -> Ferry.run("migrate", db, "--target", url.display(), "--jobs", "2"));
    boolean terminated = signalChecksum(url, run, "pg_terminate_backend");
    Ferry.Result r = run.get(120, TimeUnit.SECONDS);
    assertNothingLeftBehind(url);
    assertThat(terminated).as(r.all()).isTrue();
    // a lost connection is retried (load.Retry): the checksum is computed again, in full
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(verified(url)).isEqualTo(3);
    assertThat(count(url, "SELECT count(*) FROM big")).isEqualTo(60_000);
  }

  @Test
  void killedDuringTheOverlapThenResumedEveryTableIsVerifiedOnce() throws Exception {
    Path db = tables(tmp.resolve("kill.db"), 30_000);
    Random random = new Random(11_28);
    int killedInOverlap = 0;
    for (int round = 0; round < 2; round++) {
      TargetUrl url = TestPostgres.newDatabase();
      Process p =
          new ProcessBuilder(
                  Ferry.inOwnJvm(
                      "migrate",
                      db.toString(),
                      "--target",
                      url.display(),
                      "-q",
                      "--jobs",
                      "2",
                      "--backup-dir",
                      tmp.resolve("backups").toString()))
              .redirectErrorStream(true)
              .start();
      if (awaitOverlap(url, p)) {
        Thread.sleep(random.nextInt(250));
        if (p.isAlive()) {
          killedInOverlap++;
        }
      }
      p.destroyForcibly().waitFor();
      Ferry.Result again = Ferry.run("migrate", db, "--target", url.display(), "-q");
      assertThat(again.exitCode()).as(again.all()).isIn(0, 1);
      if (again.exitCode() == 1) { // the killed run had already finished
        assertThat(again.all()).containsAnyOf("already has", "finished: succeeded");
      }
      assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
      assertThat(runRow(url)).startsWith("succeeded 0");
      assertThat(verified(url)).as(again.all()).isEqualTo(3);
      assertThat(count(url, "SELECT count(*) FROM big")).isEqualTo(30_000);
      assertThat(count(url, "SELECT count(*) FROM mid")).isEqualTo(3_000);
      assertThat(count(url, "SELECT count(*) FROM small")).isEqualTo(300);
      assertThat(count(url, "SELECT count(*) FROM ferry.table_results")).isEqualTo(3);
      assertThat(count(url, "SELECT sum(rows_read) FROM ferry.table_results")).isEqualTo(33_300);
      assertThat(count(url, "SELECT count(*) FROM pg_views WHERE viewname = 'mid_of_big'")).isOne();
      // every constraint once: resumed steps make no second (unnamed) foreign key, UNIQUE, CHECK
      assertThat(constraints(url))
          .as(again.all())
          .containsExactlyInAnyOrder(
              "mid FOREIGN KEY (big_id) REFERENCES big(id)",
              "big PRIMARY KEY (id)",
              "mid PRIMARY KEY (id)",
              "small PRIMARY KEY (id)",
              "small UNIQUE (v)",
              "small CHECK ((v <> ''::text))");
    }
    assertThat(killedInOverlap)
        .as("kills landed while the keys stage and checksums ran")
        .isPositive();
  }

  /**
   * Three tables, mid referencing big (so the keys stage has a foreign key to validate over every
   * row) and a view over both: checksums of a few hundred milliseconds.
   */
  private static Path tables(Path file, int rows) {
    return Sqlite.create(
        file,
        """
        CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, score REAL, meta TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
          INSERT INTO big SELECT i, 'name ' || i || ' ' || hex(randomblob(16)), i * 0.5,
            json_object('k', i, 'tags', json_array('a', 'b', i)) FROM n;
        CREATE TABLE mid (id INTEGER PRIMARY KEY, big_id INTEGER REFERENCES big (id), note TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
          INSERT INTO mid SELECT i, i * 10, 'note ' || i FROM n;
        CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT UNIQUE CHECK (v <> ''));
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
          INSERT INTO small SELECT i, 'v' || i FROM n;
        CREATE VIEW mid_of_big AS SELECT mid.id, big.name FROM mid JOIN big ON big.id = mid.big_id
        """
            .formatted(rows, rows / 10, rows / 100));
  }

  /**
   * A database whose keys stage is refused in generated ways: foreign keys over orphans (created
   * NOT VALID), views PostgreSQL rejects (a type error, a view over a rejected view), a good view.
   */
  private static Path failingKeys(Path file, Random random) {
    int rows = 5_000 + random.nextInt(15_000);
    StringBuilder s = new StringBuilder();
    s.append("CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT, n INTEGER);\n");
    s.append(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO p SELECT i, 'c' || i, i FROM n;\n"
            .formatted(rows));
    int children = 1 + random.nextInt(3);
    for (int k = 0; k < children; k++) {
      s.append(
          "CREATE TABLE c%d (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id), v TEXT);\n"
              .formatted(k));
      int orphans = random.nextInt(3) * random.nextInt(50);
      s.append(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO c%d SELECT i, CASE WHEN i <= %d THEN %d + i ELSE i END, 'v' || i FROM n;\n"
              .formatted(rows / 2, k, orphans, rows));
    }
    s.append("CREATE VIEW good AS SELECT id, code FROM p WHERE n > 10;\n");
    s.append("CREATE VIEW bad_type AS SELECT code + 1 AS x FROM p;\n");
    if (random.nextBoolean()) {
      s.append("CREATE VIEW over_bad AS SELECT x FROM bad_type;\n");
    }
    if (random.nextBoolean()) {
      s.append("CREATE VIEW bad_column AS SELECT missing_column FROM p;\n");
    }
    return Sqlite.create(file, s.toString());
  }

  /**
   * Watches the target until a checksum query runs, then sends it {@code signal}; true when the
   * signal was delivered to a backend running one.
   */
  private static boolean signalChecksum(
      TargetUrl url, CompletableFuture<Ferry.Result> run, String signal) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      while (!run.isDone()) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + signal
                    + "(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND state = 'active' AND query LIKE '"
                    + CHECKSUM
                    + "' AND pid <> pg_backend_pid()")) {
          if (rs.next()) {
            return rs.getBoolean(1);
          }
        }
        Thread.sleep(2);
      }
    }
    return false;
  }

  /** Waits until the process's keys stage or a checksum query runs; false when it ended first. */
  private static boolean awaitOverlap(TargetUrl url, Process p) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && System.nanoTime() < deadline) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND state = 'active' AND (query LIKE '"
                    + CHECKSUM
                    + "' OR query LIKE 'ANALYZE %' OR query LIKE '%FOREIGN KEY%'"
                    + " OR query LIKE 'CREATE VIEW%')")) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return true;
          }
        }
        Thread.sleep(2);
      }
    }
    return false;
  }

  /**
   * No verification thread of this JVM outlives its run, and no session of the run is left on the
   * server (a session ends shortly after its client closes it: waits up to 10 s).
   */
  private static void assertNothingLeftBehind(TargetUrl url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long sessions;
    do {
      sessions =
          count(
              url,
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND pid <> pg_backend_pid()");
      if (sessions > 0) {
        Thread.sleep(50);
      }
    } while (sessions > 0 && System.nanoTime() < deadline);
    assertThat(sessions).as("sessions left on the target").isZero();
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("ferry-verify")))
        .as("verification threads left")
        .isEmpty();
  }

  /** The constraints of the migrated tables: table and definition. */
  private static List<String> constraints(TargetUrl url) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)"
                    + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long verified(TargetUrl url) {
    return count(url, "SELECT count(*) FROM ferry.table_results WHERE verdict = 'VERIFIED'");
  }

  /** The run's row: state, exit code, its stage and message without the run id. */
  private static String runRow(TargetUrl url) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT state, exit_code, replace(coalesce(message, ''), run_id::text, 'RUN')"
                    + " FROM ferry.runs ORDER BY started_at")) {
      while (rs.next()) {
        b.append(rs.getString(1))
            .append(' ')
            .append(rs.getString(2))
            .append(' ')
            .append(rs.getString(3))
            .append('\n');
      }
    }
    return b.toString();
  }

  /** Every recorded table line but its time. */
  private static String tableResults(TargetUrl url) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT source_table, target_table, rows_read, rows_written, rows_in_target,"
                    + " bytes, verdict, notes::text, rows_fixed, rows_set_aside"
                    + " FROM ferry.table_results ORDER BY source_table")) {
      while (rs.next()) {
        for (int i = 1; i <= 10; i++) {
          b.append(rs.getString(i)).append(" | ");
        }
        b.append('\n');
      }
    }
    return b.toString();
  }
}
