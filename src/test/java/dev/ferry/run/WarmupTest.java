package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warming the libraries ahead on another thread changes nothing a run does: it fails on nothing,
 * and a migration after it (into a fresh database, so Flyway creates the ferry schema) runs as
 * always.
 */
class WarmupTest {
  @TempDir Path tmp;

  @Test
  void aMigrationAfterTheWarmUpCreatesTheMetadataSchemaAndVerifies() throws Exception {
    Migration.warmUp();
    Migration.warmUp(); // once per JVM
    Warmup.awaitLibraries();
    Warmup.awaitFlyway();
    assertThat(Warmup.failure()).isNull();
    Path db =
        Sqlite.create(
            tmp.resolve("small.db"),
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
                + "INSERT INTO t (v) VALUES ('a'), ('b')");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db, "--target", url.display(), "-q", "--backup-dir", tmp.resolve("b"));
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'"))
        .isEqualTo(1L);
  }
}
