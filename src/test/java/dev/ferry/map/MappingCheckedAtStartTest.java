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
 * A mapping is checked once at start against the source and the target's catalog: every problem is
 * listed with the table, the column and how to fix it, the run exits 1 and nothing is changed.
 */
class MappingCheckedAtStartTest {
  @TempDir Path tmp;

  private Path db() {
    return Sqlite.create(
        tmp.resolve("bot.db"),
        """
        CREATE TABLE drafts (file TEXT PRIMARY KEY, tweet_id TEXT, translation TEXT, url TEXT, lang TEXT);
        INSERT INTO drafts VALUES ('a.json', '1', 'hallo', 'http://x', 'de');
        """);
  }

  private Ferry.Result migrate(TargetUrl url, String yaml) throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, yaml);
    return Ferry.run("migrate", db(), "--target", url.display(), "--config", f);
  }

  private static TargetUrl target() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, IntoYourOwnSchemaTest.APP_DDL);
    return url;
  }

  @Test
  void everyProblemIsListedAndNothingIsChanged() throws Exception {
    TargetUrl url = target();
    Ferry.Result r =
        migrate(
            url,
            """
            map:
              drafts:
                into: app.translations
                columns: {translation: text, nope: x}
              missing_table: {into: app.translations}
              tweets: {into: app.no_such_table}
            """);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err())
        .contains("columns maps translation to text, but app.translations has no such column")
        .contains("columns names nope, which is not a column of source table drafts")
        .contains("source columns that go nowhere")
        .contains("file, url")
        .contains("drop: [file, url]")
        .contains("NOT NULL without a default that nothing fills: body, status")
        .contains("set: {body: VALUE}")
        .contains("the source has no table 'missing_table'")
        .contains("map.tweets");
    assertThat(count(url, "SELECT count(*) FROM app.translations")).isZero();
    assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('ferry', 'public')"))
        .as("not even the ferry schema is touched beyond what exists")
        .isLessThanOrEqualTo(1);
    assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'drafts'")).isZero();
  }

  @Test
  void aConstantThatDoesNotFitItsColumnIsAProblemAtStart() throws Exception {
    TargetUrl url = target();
    Ferry.Result r =
        migrate(
            url,
            """
            map:
              drafts:
                into: app.translations
                columns: {translation: body}
                drop: [file, url]
                set: {status: published}
            """);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err()).contains("set status: 'published' does not fit");
    assertThat(count(url, "SELECT count(*) FROM app.translations")).isZero();
  }

  @Test
  void shapeErrorsNameTheLine() throws Exception {
    TargetUrl url = target();
    Ferry.Result r = migrate(url, "map:\n  drafts:\n    into: app.translations\n    colums: {}\n");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("ferry.yaml:2: unknown key map.drafts.colums");
  }
}
