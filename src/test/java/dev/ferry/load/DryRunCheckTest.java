package dev.ferry.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run promises only what PostgreSQL will accept: the limits Ferry knows are checked always,
 * and with a target the plan's DDL is run in a transaction that is rolled back.
 */
class DryRunCheckTest {
  @TempDir Path tmp;

  @Test
  void plansBreakingPostgresLimitsAreRefusedNamingTableAndColumn() {
    String wide =
        IntStream.range(0, 1700)
            .mapToObj(i -> "c" + i + " INTEGER")
            .collect(Collectors.joining(", "));
    Path db =
        Sqlite.create(
            tmp.resolve("limits.db"),
            "CREATE TABLE wide ("
                + wide
                + ");\n"
                + "CREATE TABLE blank (id INTEGER PRIMARY KEY, \"\" TEXT);\n"
                + "INSERT INTO blank VALUES (1, 'x')");
    TargetUrl url = TestPostgres.newDatabase();
    for (String mode : new String[] {"--dry-run", "--no-backup"}) {
      Ferry.Result r = Ferry.run("migrate", db, mode, "--target", url.display());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.err())
          .contains("table wide has 1,700 columns; PostgreSQL allows at most 1,600")
          .contains("table blank, column 2 (\"\"): the name is empty");
      assertThat(
              TestPostgres.count(
                  url,
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
          .isZero();
    }
  }

  @Test
  void withATargetTheDdlIsRehearsedAndWhatPostgresRefusesIsNamed() {
    Path db =
        Sqlite.create(
            tmp.resolve("app.db"),
            """
            CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
            INSERT INTO notes VALUES (1, 'short')""");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db, "--dry-run", "--target", url.display(), "--schema", "pg_app");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("schema pg_app: unacceptable schema name");
    assertThat(
            TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pg_app'"))
        .as("rolled back")
        .isZero();
    Ferry.Result fine = Ferry.run("migrate", db, "--dry-run", "--target", url.display());
    assertThat(fine.exitCode()).as(fine.all()).isZero();
    assertThat(
            TestPostgres.count(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
        .as("rolled back")
        .isZero();
  }
}
