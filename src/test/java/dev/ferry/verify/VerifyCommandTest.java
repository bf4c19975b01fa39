package dev.ferry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry verify` proves a target equal to its source, and names the rows when it is not. */
class VerifyCommandTest {
  @TempDir Path tmp;

  private TargetUrl migrated(Path db) {
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    return url;
  }

  private static void sql(TargetUrl url, String... statements) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  @Test
  void anUntouchedMigrationVerifies() {
    Path db = tmp.resolve("t.db");
    TwitterExample.write(db, 500, 3);
    TargetUrl url = migrated(db);
    Ferry.Result r = Ferry.run("verify", db, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("OK: 10 tables match their source").doesNotContain("MISMATCH");
    Ferry.Result full = Ferry.run("verify", db, "--target", url.display(), "--verify", "full");
    assertThat(full.exitCode()).as(full.all()).isZero();
    assertThat(full.out()).contains("VERIFIED (rows)");
  }

  @Test
  void aCorruptedTargetRowFailsAndIsNamedByItsKey() throws Exception {
    Path db = tmp.resolve("t.db");
    TwitterExample.write(db, 500, 3);
    TargetUrl url = migrated(db);
    sql(
        url,
        "UPDATE tweets SET text = text || '!' WHERE id = '1790000000000000042'",
        "UPDATE tweets SET metadata = metadata || '{\"likes\": -1}' WHERE id = '1790000000000000043'",
        "DELETE FROM analysis_chunks WHERE chunk_id = 7",
        "INSERT INTO referral_codes (code, owner_user_id, usage_count) SELECT 'EXTRA', owner_user_id, 0 FROM referral_codes LIMIT 1");
    Ferry.Result r = Ferry.run("verify", db, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.out())
        .contains("MISMATCH")
        .contains("key 1790000000000000042: values differ")
        .contains("key 1790000000000000043: values differ")
        .contains("key 7: missing in the target")
        .contains("key EXTRA: not in the source")
        .contains("VERIFICATION FAILED");
  }

  @Test
  void tablesWithoutAKeyAreComparedAsMultisets() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("nokey.db"),
            "CREATE TABLE log (at TEXT, msg TEXT);\n"
                + "INSERT INTO log VALUES ('2024-01-01 00:00:00', 'a'), ('2024-01-01 00:00:01', 'b'), ('2024-01-01 00:00:01', 'b')");
    TargetUrl url = migrated(db);
    sql(url, "DELETE FROM log WHERE ctid = (SELECT min(ctid) FROM log WHERE msg = 'b')");
    Ferry.Result r = Ferry.run("verify", db, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.out()).contains("source has 2, target has 1");
  }

  @Test
  void aMissingTableIsReported() throws Exception {
    Path db = Sqlite.create(tmp.resolve("small.db"), "CREATE TABLE t (id INTEGER PRIMARY KEY)");
    TargetUrl url = migrated(db);
    sql(url, "DROP TABLE t");
    Ferry.Result r = Ferry.run("verify", db, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.out()).contains("MISSING");
  }
}
