package dev.ferry.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry verify} after the run proves what the mapping promised for the tables ferry.yaml's
 * map: loaded into the user's own tables: every source row, after its transforms and conversion,
 * equals a row the last run inserted. A row changed afterwards is a MISMATCH naming its key, a
 * table that is gone is MISSING, a ferry.yaml that no longer says what the run loaded with is NOT
 * CHECKED, each exit 4; rows merged into one table from several sources are accounted for per
 * source. It never says OK over a table it did not check.
 */
class VerifyAfterTheRunTest {
  static final String MAP = IntoYourOwnSchemaTest.MAP + "    transform: {lang: empty_as_null}\n";

  @TempDir Path tmp;

  @Test
  void aMappedTableIsVerifiedAfterTheRunAndAnEditedRowIsNamedByItsKey() throws Exception {
    IntoYourOwnSchemaTest fixture = new IntoYourOwnSchemaTest();
    fixture.tmp = tmp;
    Path db =
        fixture.drafts(
            12,
            "INSERT INTO drafts VALUES ('long.json', '2024-01-01', '"
                + "9".repeat(40)
                + "', 'zu lang', '', '{}');");
    Path yaml = fixture.yaml(MAP);
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, IntoYourOwnSchemaTest.APP_DDL);
    Path report = tmp.resolve("report.json");
    Ferry.Result r =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "--config",
            yaml,
            "--on-bad-value",
            "set-aside",
            "--report",
            report);
    assertThat(r.exitCode()).as("finished with a row set aside: " + r.all()).isEqualTo(3);
    assertThat(r.out())
        .as("the report says what the mapping did to the values")
        .contains("Mapped into your tables (ferry.yaml map:):")
        .contains("drafts → app.translations")
        .containsPattern("translation +→ body text: as is")
        .containsPattern("lang +→ lang character varying\\(5\\): via empty_as_null")
        .contains("set: status = 'draft' (app.state)")
        .contains("dropped (not carried): file, modified, doc")
        .contains("set aside: 1 rows whose tweet_id did not fit");
    JsonNode mapping =
        new ObjectMapper().readTree(report.toFile()).get("tables").get(0).get("mapping");
    assertThat(mapping.get("into").asText()).isEqualTo("app.translations");
    assertThat(mapping.get("setAsideByColumn").get("tweet_id").asLong()).isOne();
    assertThat(mapping.get("columns").findValuesAsText("transform"))
        .anyMatch(t -> t.startsWith("empty_as_null"));

    for (String mode : new String[] {"checksum", "full", "count"}) {
      Ferry.Result ok = verify(db, yaml, url, mode);
      assertThat(ok.exitCode()).as(ok.all()).isZero();
      assertThat(verdictOf(ok, "drafts")).isEqualTo("VERIFIED (rows)");
      assertThat(ok.out()).contains("OK: 1 tables match").doesNotContain("PARTLY");
    }

    long id = TestPostgres.count(url, "SELECT id FROM app.translations WHERE tweet_id = '175007'");
    IntoYourOwnSchemaTest.sql(
        url, "UPDATE app.translations SET body = 'edited later' WHERE tweet_id = '175007'");
    for (String mode : new String[] {"checksum", "full"}) {
      Ferry.Result edited = verify(db, yaml, url, mode);
      assertThat(edited.exitCode()).as(edited.all()).isEqualTo(4);
      assertThat(verdictOf(edited, "drafts")).isEqualTo("MISMATCH");
      assertThat(edited.out())
          .contains("id=" + id + ": (")
          .contains("edited later")
          .contains("VERIFICATION FAILED")
          .doesNotContain("OK:");
    }

    IntoYourOwnSchemaTest.sql(url, "DELETE FROM app.translations WHERE tweet_id = '175003'");
    Ferry.Result deleted = verify(db, yaml, url, "checksum");
    assertThat(deleted.exitCode()).as(deleted.all()).isEqualTo(4);
    assertThat(deleted.out()).contains("not in app.translations").contains("175003");

    Path otherYaml =
        fixture.yaml(IntoYourOwnSchemaTest.MAP.replace("status: draft", "status: posted"));
    Ferry.Result changedMap = verify(db, otherYaml, url, "checksum");
    assertThat(changedMap.exitCode()).as(changedMap.all()).isEqualTo(4);
    assertThat(verdictOf(changedMap, "drafts")).isEqualTo("NOT CHECKED");
    assertThat(changedMap.out()).contains("is not what run");

    IntoYourOwnSchemaTest.sql(url, "DROP TABLE app.translations");
    Ferry.Result gone = verify(db, fixture.yaml(MAP), url, "checksum");
    assertThat(gone.exitCode()).as(gone.all()).isEqualTo(4);
    assertThat(verdictOf(gone, "drafts")).isEqualTo("MISSING");
    assertThat(gone.out()).contains("app.translations does not exist");
  }

  @Test
  void rowsMergedFromTwoSourcesAreAccountedForPerSource() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("queues.db"),
            """
            CREATE TABLE unprocessed_tweets (tweet_id TEXT PRIMARY KEY, added TEXT);
            CREATE TABLE processed_tweets (tweet_id TEXT PRIMARY KEY, added TEXT);
            INSERT INTO unprocessed_tweets VALUES ('1', '2024-05-01 10:00'), ('2', '2024-05-01 11:00');
            INSERT INTO processed_tweets VALUES ('3', '2024-04-01 10:00'), ('4', '2024-04-02 10:00');
            """);
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(
        url,
        "CREATE TABLE queue (tweet_id bigint PRIMARY KEY, added_at timestamp NOT NULL,"
            + " status text NOT NULL)");
    IntoYourOwnSchemaTest fixture = new IntoYourOwnSchemaTest();
    fixture.tmp = tmp;
    Path yaml =
        fixture.yaml(
            """
            map:
              unprocessed_tweets: {into: queue, columns: {added: added_at}, set: {status: pending}}
              processed_tweets: {into: queue, columns: {added: added_at}, set: {status: done}}
            """);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", yaml);
    assertThat(r.exitCode()).as(r.all()).isZero();

    Ferry.Result ok = verify(db, yaml, url, "full");
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    assertThat(verdictOf(ok, "unprocessed_tweets")).isEqualTo("VERIFIED (rows)");
    assertThat(verdictOf(ok, "processed_tweets")).isEqualTo("VERIFIED (rows)");

    // a row that came from processed_tweets changes: only that source's line differs
    IntoYourOwnSchemaTest.sql(url, "UPDATE queue SET status = 'pending' WHERE tweet_id = 4");
    Ferry.Result moved = verify(db, yaml, url, "full");
    assertThat(moved.exitCode()).as(moved.all()).isEqualTo(4);
    assertThat(verdictOf(moved, "unprocessed_tweets")).isEqualTo("VERIFIED (rows)");
    assertThat(verdictOf(moved, "processed_tweets")).isEqualTo("MISMATCH");
    assertThat(moved.out()).contains("tweet_id=4: (4,");
  }

  private static Ferry.Result verify(Path db, Path yaml, TargetUrl url, String mode) {
    return Ferry.run("verify", db, "--target", url.display(), "--config", yaml, "--verify", mode);
  }

  /** The verdict on the report line of {@code table} (the text after its numbers). */
  private static String verdictOf(Ferry.Result r, String table) {
    return r.out()
        .lines()
        .filter(l -> l.startsWith(table + " "))
        .map(l -> l.replaceFirst("^\\S+(\\s+\\S+){6}\\s+", ""))
        .findFirst()
        .orElse("(no line for " + table + ")")
        .strip();
  }
}
