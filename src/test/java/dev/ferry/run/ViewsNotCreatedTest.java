package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view, index or constraint the target does not get, whether Ferry has no translation for it or
 * PostgreSQL rejects it, is in the verdict and the exit code (4), never behind an "OK". A view the
 * target does not get, whether Ferry has no translation for it or PostgreSQL rejects the
 * translation, is in the verdict and the exit code (4: the target differs from the source), never
 * behind an "OK"; the views that were created and every table stay verified.
 */
class ViewsNotCreatedTest {
  @TempDir Path tmp;

  @Test
  void everyViewNotCreatedFailsTheVerdictWithExit4() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("v.db"),
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, flag BOOLEAN, v TEXT);
            INSERT INTO t (flag, v) VALUES (1, 'a'), (0, 'b');
            CREATE VIEW fine AS SELECT v FROM t;
            CREATE VIEW untranslatable AS SELECT typeof(v) AS k FROM t;
            CREATE TABLE scratch (v TEXT);
            CREATE VIEW rejected AS SELECT v FROM scratch""");
    TargetUrl url = TestPostgres.newDatabase();
    // the view over a table left out: PostgreSQL rejects it (relation does not exist)
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--exclude", "scratch");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.out())
        .doesNotContain("OK:")
        .contains("VERIFICATION FAILED: view ")
        .contains("untranslatable")
        .contains("rejected")
        .contains("were not created")
        .contains("every table loaded");
    assertThat(count(url, "SELECT count(*) FROM fine")).isEqualTo(2);
    assertThat(
            count(
                url,
                "SELECT count(*) FROM ferry.runs WHERE state = 'verification_failed' AND exit_code = 4"))
        .isOne();

    Path clean =
        Sqlite.create(
            tmp.resolve("c.db"), "CREATE TABLE t (v TEXT);\nCREATE VIEW w AS SELECT v FROM t");
    Ferry.Result ok = Ferry.run("migrate", clean, "--target", TestPostgres.newDatabase().display());
    assertThat(ok.exitCode()).as(ok.all()).isZero();
  }

  @Test
  void anIndexOrConstraintNotCreatedIsNeverBehindAnOk() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("i.db"),
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT, at TEXT UNIQUE);
            INSERT INTO t (payload, at) VALUES ('{"a":1}', '2024-01-01 00:00:00'),
              ('{"a":2}', '2024-01-01T00:00:00Z');
            CREATE INDEX by_a ON t (json_extract(payload, '$.a'))""");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.out())
        .doesNotContain("OK:")
        .contains("VERIFICATION FAILED: ")
        .contains("index by_a")
        .contains("UNIQUE (\"at\")")
        .contains("were not created")
        .contains("every table loaded");
    assertThat(count(url, "SELECT count(*) FROM t")).isEqualTo(2);
  }
}
