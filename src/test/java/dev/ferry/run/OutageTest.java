package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL restarts in the middle of a COPY: the run retries the table and finishes verified. */
class OutageTest {
  @TempDir Path tmp;

  @Test
  void aServerRestartMidLoadIsRetriedAndTheRunFinishesVerified() throws Exception {
    Path db = tmp.resolve("t.db");
    TwitterExample.write(db, 150_000, 9);
    TargetUrl url = TestPostgres.newDatabase();
    CompletableFuture<Ferry.Result> run =
        CompletableFuture.supplyAsync(
            () ->
                Ferry.run(
                    "migrate", db, "--target", url.display(), "-q", "--jobs", "1", "--no-backup"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    boolean copying = false;
    while (!copying && !run.isDone() && System.nanoTime() < deadline) {
      copying =
          count(
                  url,
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ferry'"
                      + " AND query LIKE 'COPY \"public\".\"tweets\"%'")
              > 0;
      Thread.sleep(20);
    }
    assertThat(copying).as("saw the COPY of tweets running").isTrue();
    TestPostgres.restart();
    Ferry.Result r = run.get(120, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("checksums of every value verified");
    assertThat(count(url, "SELECT count(*) FROM tweets")).isEqualTo(150_000);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
  }
}
