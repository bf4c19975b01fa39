package dev.ferry.source.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a SQLite source holds, or why it is not one. */
class ZeroByteSourceTest {
  @TempDir Path tmp;

  @Test
  void aZeroByteFileIsNotAnEmptyDatabaseForEveryCommand() throws Exception {
    Path empty = Files.createFile(tmp.resolve("typo.db"));
    TargetUrl url = TestPostgres.newDatabase();
    for (Object[] args :
        new Object[][] {
          {"migrate", empty, "--target", url.display()},
          {"migrate", empty, "--dry-run"},
          {"inspect", empty},
          {"plan", empty, "-o", tmp.resolve("p").resolve("ferry.yaml")},
          {"verify", empty, "--target", url.display()}
        }) {
      Ferry.Result r = Ferry.run(args);
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains("typo.db").contains("empty (0 bytes), not a database");
      assertThat(r.out()).doesNotContain("OK");
    }
    assertThat(Files.size(empty)).isZero();
  }
}
