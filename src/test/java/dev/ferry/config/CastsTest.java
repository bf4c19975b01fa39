package dev.ferry.config;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry.yaml casts: forced types, rows that do not fit handled by policy, errors that point at the
 * line.
 */
class CastsTest {
  @TempDir Path tmp;

  private Path db() {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, priority INTEGER, code TEXT);\n");
    for (int i = 1; i <= 20; i++) {
      s.append("INSERT INTO jobs (priority, code) VALUES (")
          .append(i)
          .append(", '")
          .append(i * 7)
          .append("');\n");
    }
    s.append("INSERT INTO jobs (priority, code) VALUES ('high', 'x')");
    return Sqlite.create(tmp.resolve("jobs.db"), s.toString());
  }

  private Path yaml(String text) throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void aForcedTypeLoadsWhatFitsAndSetsTheRestAside() throws Exception {
    Path config =
        yaml("# types chosen by hand\ncasts:\n  jobs.priority: bigint\n  jobs.code: integer\n");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db(), "--target", url.display(), "-q", "--config", config);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.out()).contains("SET ASIDE 1");
    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs'"
                    + " AND ((column_name = 'priority' AND data_type = 'bigint') OR (column_name = 'code' AND data_type = 'integer'))"))
        .isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM jobs")).isEqualTo(20);
    assertThat(count(url, "SELECT sum(code) FROM jobs")).isEqualTo(7 * 210);
    assertThat(
            count(
                url,
                "SELECT count(*) FROM ferry.rejects WHERE original_row->>'priority' = 'high'"
                    + " AND reason LIKE 'column priority: not an integer%'"))
        .isOne();
    Ferry.Result again = Ferry.run("verify", db(), "--target", url.display(), "--config", config);
    assertThat(again.exitCode()).as(again.all()).isZero();
  }

  @Test
  void dryRunShowsTheForcedChoice() throws Exception {
    Path config = yaml("casts:\n  jobs.priority: bigint\n");
    Ferry.Result r = Ferry.run("migrate", db(), "--dry-run", "--config", config);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("forced by ferry.yaml line 2 (Ferry would choose text");
  }

  @Test
  void errorsPointAtTheLineAndSayHowToFixIt() throws Exception {
    Path db = db();
    assertThat(
            Ferry.run(
                    "migrate",
                    db,
                    "--dry-run",
                    "--config",
                    yaml("cast:\n  jobs.priority: bigint\n"))
                .err())
        .contains(
            "ferry.yaml:1: unknown key 'cast'; ferry.yaml knows: casts, priorities, schemas, keep");
    assertThat(
            Ferry.run(
                    "migrate",
                    db,
                    "--dry-run",
                    "--config",
                    yaml("casts:\n  jobs.priority: bignum\n"))
                .err())
        .contains(
            "ferry.yaml:2: unknown type 'bignum' for jobs.priority; use one of: boolean, smallint");
    assertThat(
            Ferry.run(
                    "migrate",
                    db,
                    "--dry-run",
                    "--config",
                    yaml("casts:\n  jbos.priority: bigint\n"))
                .err())
        .contains("ferry.yaml:2: cast of jbos.priority: no table 'jbos'")
        .contains("(tables: jobs)");
    assertThat(
            Ferry.run(
                    "migrate", db, "--dry-run", "--config", yaml("casts:\n\n  jobs.prio: bigint\n"))
                .err())
        .contains(
            "ferry.yaml:3: cast of jobs.prio: no column 'prio' in jobs (columns: id, priority, code)");
    Ferry.Result broken = Ferry.run("migrate", db, "--dry-run", "--config", yaml("casts: [\n"));
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains("ferry.yaml");
  }
}
