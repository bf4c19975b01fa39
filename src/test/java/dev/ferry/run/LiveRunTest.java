package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run has an owner known to be alive (a PostgreSQL advisory lock held for the run's life): while
 * one process loads, another process's identical migrate, --resume and rollback of that run all
 * refuse with exit 1 naming the live run and its pid, and change nothing; the live run then
 * finishes as if alone.
 */
class LiveRunTest {
  @TempDir Path tmp;

  @Test
  void aLiveRunIsNeitherResumedNorRolledBackByAnotherProcess() throws Exception {
    Path db = tmp.resolve("live.db");
    TwitterExample.write(db, 120_000, 5);
    TargetUrl url = TestPostgres.newDatabase();
    Process owner = ferry(db, url);
    String run = awaitRunning(url, owner);

    Ferry.Result second = Ferry.run("migrate", db, "--target", url.display(), "-q");
    Ferry.Result resume = Ferry.run("migrate", db, "--target", url.display(), "-q", "--resume");
    Ferry.Result rollback = Ferry.run("rollback", run, "--target", url.display());
    boolean stillRunning = owner.isAlive();

    assertThat(owner.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String ownerOut = new String(owner.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stillRunning).as("the refusals happened while the owner was loading").isTrue();
    for (Ferry.Result r : List.of(second, resume, rollback)) {
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.err()).contains("run " + run + " is still running").contains("pid ");
    }
    assertThat(owner.exitValue()).as(ownerOut).isZero();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
    assertThat(count(url, "SELECT count(*) FROM tweets")).isEqualTo(120_000);
    Ferry.Result verify = Ferry.run("verify", db, "--target", url.display());
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    Ferry.Result after = Ferry.run("rollback", run, "--target", url.display());
    assertThat(after.exitCode()).as("a finished run can be rolled back").isZero();
  }

  @Test
  void aKilledRunsLeaseIsFreeSoItsRerunResumesIt() throws Exception {
    Path db = tmp.resolve("killed.db");
    TwitterExample.write(db, 120_000, 6);
    TargetUrl url = TestPostgres.newDatabase();
    Process owner = ferry(db, url);
    String run = awaitRunning(url, owner);
    owner.destroyForcibly().waitFor();
    Ferry.Result again = Ferry.run("migrate", db, "--target", url.display(), "--resume");
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("Resuming run " + run);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
  }

  /** Waits until the owner has recorded its run (it is loading), and returns the run id. */
  private static String awaitRunning(TargetUrl url, Process owner) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(owner.isAlive()).as("the owner is still running").isTrue();
      try (Connection c = TestPostgres.connect(url);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT run_id FROM ferry.runs WHERE state = 'running'"
                      + " AND EXISTS (SELECT 1 FROM ferry.checkpoints)")) {
        if (rs.next()) {
          return rs.getString(1);
        }
      } catch (java.sql.SQLException e) {
        // no ferry schema yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the owner never started loading");
  }

  /** `ferry migrate` in a JVM of its own. */
  private Process ferry(Path db, TargetUrl url) throws Exception {
    List<String> cmd =
        Ferry.inOwnJvm(
            "migrate",
            db.toString(),
            "--target",
            url.display(),
            "-q",
            "--jobs",
            "1",
            "--backup-dir",
            tmp.resolve("backups").toString(),
            "--chunk-rows",
            "10000");
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
