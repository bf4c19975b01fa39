package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments: every re-run resumes the interrupted run (its backup copy, the tables
 * it finished), and the end result equals the source exactly, every row once.
 */
class KillResumeTest {
  @TempDir Path tmp;

  @Test
  void killedTwentyTimesThenFinishedTargetEqualsSource() throws Exception {
    Path db = tmp.resolve("t.db");
    TwitterExample.write(db, 120_000, 11);
    TargetUrl url = TestPostgres.newDatabase();
    Random random = new Random(20261121);
    int kills = 0;
    boolean done = false;
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 20 && !done; i++) {
      // the same command with and without --resume: both must do the right thing at any point
      Process p = i % 2 == 0 ? ferry(db, url) : ferry(db, url, "--resume");
      long delay = 300L + random.nextInt(2700);
      if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        log.append("run ")
            .append(i)
            .append(" exited ")
            .append(p.exitValue())
            .append(": ")
            .append(out)
            .append('\n');
        assertThat(p.exitValue()).as(log.toString()).isIn(0, 1);
        done = true; // 1: a previous run had already finished ("already has", "finished")
        if (p.exitValue() == 1) {
          assertThat(out).as(log.toString()).containsAnyOf("already has", "finished: succeeded");
        }
      } else {
        p.destroyForcibly().waitFor();
        kills++;
      }
    }
    if (!done) {
      Process p = ferry(db, url);
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
    }
    assertThat(kills).as("the process was really killed along the way").isGreaterThan(5);
    Ferry.Result verify = Ferry.run("verify", db, "--target", url.display(), "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM tweets")).isEqualTo(120_000);
    assertThat(count(url, "SELECT count(*) FROM ferry.checkpoints WHERE source_table = 'tweets'"))
        .as("tweets was loaded in chunks, each committed once")
        .isEqualTo(6);
    assertThat(
            count(
                url,
                "SELECT sum(rows_written) FROM ferry.checkpoints WHERE source_table = 'tweets'"))
        .isEqualTo(120_000);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state <> 'succeeded'")).isZero();
  }

  @Test
  void aSourceChangedUnderAnInterruptedRunWithoutBackupIsRefused() throws Exception {
    Path db =
        dev.ferry.testing.Sqlite.create(
            tmp.resolve("s.db"),
            "CREATE TABLE a (v TEXT);\nINSERT INTO a VALUES ('x');\nCREATE TABLE b (v TEXT CHECK (v <> 'bad'))");
    TargetUrl url = TestPostgres.newDatabase();
    try (var c = dev.ferry.testing.Sqlite.open(db);
        var st = c.createStatement()) { // fails its load: exit 5
      st.execute("PRAGMA ignore_check_constraints = ON");
      st.execute("INSERT INTO b VALUES (CAST(X'00' AS TEXT))");
    }
    Ferry.Result first =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "-q",
            "--no-backup",
            "--on-bad-value",
            "fail");
    assertThat(first.exitCode()).as(first.all()).isEqualTo(5);
    try (var c = dev.ferry.testing.Sqlite.open(db);
        var st = c.createStatement()) {
      st.execute("INSERT INTO a VALUES ('y')");
    }
    Ferry.Result again = Ferry.run("migrate", db, "--target", url.display(), "-q", "--no-backup");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("changed since run").contains("--if-exists drop");
    assertThat(
            Ferry.run(
                    "migrate",
                    db,
                    "--target",
                    url.display(),
                    "-q",
                    "--no-backup",
                    "--if-exists",
                    "drop")
                .exitCode())
        .isEqualTo(3);
  }

  @Test
  void aRunKilledBetweenMetadataDdlAndItsHistoryRowLeavesNothingBroken() throws Exception {
    Path db =
        dev.ferry.testing.Sqlite.create(
            tmp.resolve("m.db"), "CREATE TABLE a (v TEXT);\nINSERT INTO a VALUES ('x')");
    TargetUrl url = TestPostgres.newDatabase();
    assertThat(Ferry.run("migrate", db, "--target", url.display(), "-q").exitCode()).isZero();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) { // as a kill at the wrong moment leaves it
      st.execute("DELETE FROM ferry.schema_history WHERE version IS NOT NULL");
    }
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q", "--schema", "again");
    assertThat(r.exitCode()).as(r.all()).isZero();
    long scripts;
    try (var files = java.nio.file.Files.list(Path.of("src/main/resources/db/ferry"))) {
      scripts = files.count(); // every script the build ships, applied once more
    }
    assertThat(count(url, "SELECT count(*) FROM ferry.schema_history WHERE version IS NOT NULL"))
        .isEqualTo(scripts);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isEqualTo(2);
  }

  @Test
  void resumingAfterEverythingWasCreatedKeepsItAndNotesWhatTheFirstRunNoted() throws Exception {
    Path db =
        dev.ferry.testing.Sqlite.create(
            tmp.resolve("v.db"),
            "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT UNIQUE, n INTEGER CHECK (n > 0));\n"
                + "INSERT INTO a (v, n) VALUES ('x', 1), ('y', 2);\n"
                + "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));\n"
                + "INSERT INTO b VALUES (1, 1), (2, 3);\n" // an orphan: the key is NOT VALID
                + "CREATE VIEW av AS SELECT v FROM a");
    TargetUrl url = TestPostgres.newDatabase();
    assertThat(Ferry.run("migrate", db, "--target", url.display(), "-q").exitCode()).isZero();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) { // as if killed at the very end
      st.execute("UPDATE ferry.runs SET state = 'running', finished_at = NULL");
    }
    String constraints =
        "SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace";
    long made = count(url, constraints);
    List<String> firstNotes = tableNotes(url);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("Resuming run").doesNotContain("not created");
    assertThat(firstNotes).anyMatch(n -> n.contains("created NOT VALID"));
    assertThat(tableNotes(url))
        .as("the resumed run notes what the first noted")
        .isEqualTo(firstNotes);
    assertThat(count(url, "SELECT count(*) FROM av")).isEqualTo(2);
    // unnamed UNIQUE, CHECK and FOREIGN KEY are not made a second time (a_v_key1, a_n_check1)
    assertThat(made).isEqualTo(5);
    assertThat(count(url, constraints)).isEqualTo(made);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
  }

  @Test
  void killedWhilePlanningTheSameCommandWithOrWithoutResumeFinishes() throws Exception {
    Path db = tmp.resolve("p.db");
    TwitterExample.write(db, 60_000, 12);
    for (boolean resume : new boolean[] {true, false}) {
      TargetUrl url = TestPostgres.newDatabase();
      Process p = loud(db, url);
      try (var lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.startsWith("Planning")) {
            break;
          }
        }
        p.destroyForcibly().waitFor();
      }
      assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"))
          .as("killed while planning: nothing was recorded")
          .isZero();
      Ferry.Result r =
          resume
              ? Ferry.run("migrate", db, "--target", url.display(), "--resume")
              : Ferry.run("migrate", db, "--target", url.display());
      assertThat(r.exitCode()).as("--resume " + resume + ": " + r.all()).isZero();
      assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
    }
  }

  @Test
  void aSourceChangedWithItsSizeAndModificationTimeKeptIsRefusedByContent() throws Exception {
    Path db =
        dev.ferry.testing.Sqlite.create(
            tmp.resolve("c.db"),
            "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                + " INSERT INTO a (v) SELECT 'value ' || (1000 + i) FROM n;\n"
                + "CREATE TABLE b (v TEXT);\nINSERT INTO b VALUES ('x')");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result first =
        Ferry.run(
            "migrate", db, "--target", url.display(), "-q", "--no-backup", "--chunk-rows", "100");
    assertThat(first.exitCode()).as(first.all()).isZero();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) { // as if killed after the data, before the end
      st.execute("UPDATE ferry.runs SET state = 'running', finished_at = NULL");
    }
    java.nio.file.attribute.FileTime modified = java.nio.file.Files.getLastModifiedTime(db);
    long size = java.nio.file.Files.size(db);
    try (var c = dev.ferry.testing.Sqlite.open(db);
        var st = c.createStatement()) { // same length, so the same size
      st.execute("UPDATE a SET v = 'value 9999' WHERE id = 250");
    }
    java.nio.file.Files.setLastModifiedTime(db, modified);
    assertThat(java.nio.file.Files.size(db)).isEqualTo(size);

    Ferry.Result again = Ferry.run("migrate", db, "--target", url.display(), "-q", "--no-backup");
    assertThat(again.exitCode()).as(again.all()).isEqualTo(1);
    assertThat(again.err())
        .contains("changed since run")
        .contains("table a: the values of the 500 rows committed from it differ")
        .contains("--if-exists drop");
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'running'")).isOne();
  }

  /** `ferry migrate` in a JVM of its own, printing its progress (not quiet). */
  /** Each table's stored notes, as the run's latest attempt recorded them. */
  private static List<String> tableNotes(TargetUrl url) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT source_table || ': ' || notes::text FROM ferry.table_results ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private Process loud(Path db, TargetUrl url) throws Exception {
    return new ProcessBuilder(
            Ferry.inOwnJvm(
                "migrate",
                db.toString(),
                "--target",
                url.display(),
                "--backup-dir",
                tmp.resolve("backups").toString()))
        .redirectErrorStream(true)
        .start();
  }

  /** `ferry migrate` in a JVM of its own, so it can be killed for real. */
  private Process ferry(Path db, TargetUrl url, String... extra) throws Exception {
    List<String> cmd =
        Ferry.inOwnJvm(
            "migrate",
            db.toString(),
            "--target",
            url.display(),
            "-q",
            "--backup-dir",
            tmp.resolve("backups").toString(),
            "--chunk-rows",
            "20000");
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
