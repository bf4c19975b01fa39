package dev.ferry.map;

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
 * {@code ferry plan --into SCHEMA} writes a map: for the user's existing tables: tables matched by
 * name, columns by name whatever their case and underscores, unmatched source columns under drop:
 * with a comment, unfilled NOT NULL columns under set: as TODOs the check at start refuses until
 * they are filled, transforms suggested from the values; filled in, it migrates and verifies.
 */
class MappingSkeletonTest {
  @TempDir Path tmp;

  @Test
  void planWritesASkeletonThatMigratesOnceItsTodosAreFilled() throws Exception {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE Translation (file TEXT PRIMARY KEY, tweetId TEXT, translated_text TEXT,"
                + " TargetLanguage TEXT, created_at TEXT, character_count TEXT);\n"
                + "CREATE TABLE debug_log (line TEXT);\n"
                + "INSERT INTO debug_log VALUES ('x');\n");
    for (int i = 1; i <= 20; i++) {
      s.append(
          String.format(
              "INSERT INTO Translation VALUES ('d%d.json', '1750%d', 'Hallo %d', 'de',"
                  + " 'Tue, 3 Jun 2008 %02d:05:30 GMT', '%s');%n",
              i, i, i, i % 24, i % 4 == 0 ? "" : String.valueOf(i * 3)));
    }
    Path db = Sqlite.create(tmp.resolve("bot.db"), s.toString());
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, Seed003DraftsTest.DDL);
    Path out = tmp.resolve("ferry.yaml");

    Ferry.Result plan =
        Ferry.run("plan", db, "--target", url.display(), "--into", "app", "-o", out);
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    String yaml = Files.readString(out);
    assertThat(yaml)
        .contains("  Translation:")
        .contains("    into: app.translations")
        .contains("      tweetId: tweet_id")
        .contains("      TargetLanguage: target_language")
        .doesNotContain("translated_text: translated_text")
        .contains("      - file   # no target column: map or drop")
        .contains("      status:   # TODO: NOT NULL text that nothing fills")
        .contains("      created_at: {date: \"rfc1123\"}")
        .contains("      character_count: empty_as_null")
        .contains("# Not mapped (no table of a similar name or columns in app): debug_log");

    Ferry.Result unfilled =
        Ferry.run("migrate", db, "--target", url.display(), "--config", out, "--no-backup");
    assertThat(unfilled.exitCode()).as("a TODO left is refused at start").isEqualTo(1);
    assertThat(unfilled.err()).contains("set status has no value");
    assertThat(count(url, "SELECT count(*) FROM app.translations")).isZero();

    Files.writeString(out, yaml.replace("      status:   # TODO", "      status: draft   #"));
    Ferry.Result r =
        Ferry.run("migrate", db, "--target", url.display(), "--config", out, "--no-backup");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("VERIFIED (rows)");
    assertThat(
            count(
                url,
                "SELECT count(*) FROM app.translations WHERE status = 'draft'"
                    + " AND created_at BETWEEN '2008-06-03' AND '2008-06-04'"))
        .isEqualTo(20);
    assertThat(count(url, "SELECT count(*) FROM app.translations WHERE character_count IS NULL"))
        .isEqualTo(5);
  }

  @Test
  void anIntoThatNamesNoTableIsAClearError() throws Exception {
    Path db = Sqlite.create(tmp.resolve("a.db"), "CREATE TABLE t (a TEXT);");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run(
            "plan",
            db,
            "--target",
            url.display(),
            "--into",
            "app.nope",
            "-o",
            tmp.resolve("f.yaml"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--into app.nope: the target has no such table");
  }
}
