package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
      Process p = ferry(db, url);
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
        done = true; // 1: a previous run had already finished ("already has")
        if (p.exitValue() == 1) {
          assertThat(out).as(log.toString()).contains("already has");
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
    assertThat(count(url, "SELECT count(*) FROM ferry.schema_history WHERE version IS NOT NULL"))
        .isEqualTo(4);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isEqualTo(2);
  }

  @Test
  void resumingAfterEverythingWasCreatedKeepsItAndNotesNothing() throws Exception {
    Path db =
        dev.ferry.testing.Sqlite.create(
            tmp.resolve("v.db"),
            "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT UNIQUE);\nINSERT INTO a (v) VALUES ('x'), ('y');\n"
                + "CREATE VIEW av AS SELECT v FROM a");
    TargetUrl url = TestPostgres.newDatabase();
    assertThat(Ferry.run("migrate", db, "--target", url.display(), "-q").exitCode()).isZero();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) { // as if killed at the very end
      st.execute("UPDATE ferry.runs SET state = 'running', finished_at = NULL");
    }
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("Resuming run")
        .doesNotContain("Not carried exactly")
        .doesNotContain("not created");
    assertThat(count(url, "SELECT count(*) FROM av")).isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
  }

  /** `ferry migrate` in a JVM of its own, so it can be killed for real. */
  private Process ferry(Path db, TargetUrl url) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ferry.cli.Main",
                "migrate",
                db.toString(),
                "--target",
                url.display(),
                "-q",
                "--backup-dir",
                tmp.resolve("backups").toString(),
                "--chunk-rows",
                "20000"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
