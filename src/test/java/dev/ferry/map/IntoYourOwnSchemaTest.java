package dev.ferry.map;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry.yaml map: loads a source table into a table the user designed: renamed columns, constants,
 * columns deliberately dropped, values converted to the declared types, every row verified against
 * the source read again, and the run's rows recorded by key.
 */
class IntoYourOwnSchemaTest {
  static final String APP_DDL =
      "CREATE SCHEMA app;"
          + "CREATE TYPE app.state AS ENUM ('draft', 'posted');"
          + "CREATE TABLE app.translations ("
          + "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + "  tweet_id varchar(30) NOT NULL,"
          + "  body text NOT NULL,"
          + "  lang varchar(5),"
          + "  status app.state NOT NULL,"
          + "  created_at timestamptz NOT NULL DEFAULT now());";

  @TempDir Path tmp;

  /** Seed 003's drafts/ as its staged table looks: one row per draft file. */
  Path drafts(int n, String extraRows) {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE drafts (file TEXT PRIMARY KEY, modified TEXT, tweet_id TEXT,"
                + " translation TEXT, lang TEXT, doc TEXT);\n");
    for (int i = 1; i <= n; i++) {
      s.append(
          String.format(
              "INSERT INTO drafts VALUES ('d%d.json', '2024-01-01', '17500%d', 'Übersetzung\t%d\\n',"
                  + " '%s', '{}');%n",
              i, i, i, i % 2 == 0 ? "de" : "fr"));
    }
    s.append(extraRows);
    return Sqlite.create(tmp.resolve("bot.db"), s.toString());
  }

  Path yaml(String text) throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, text);
    return f;
  }

  static void sql(TargetUrl url, String... statements) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  static final String MAP =
      """
      map:
        drafts:
          into: app.translations
          columns: {translation: body}
          drop: [file, modified, doc]
          set: {status: draft}
      """;

  @Test
  void everyRowArrivesRenamedConvertedAndVerified() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    sql(
        url,
        APP_DDL,
        "INSERT INTO app.translations (tweet_id, body, status) VALUES ('1', 'old', 'posted')");
    Ferry.Result r =
        Ferry.run("migrate", drafts(40, ""), "--target", url.display(), "--config", yaml(MAP));
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("app.translations").contains("VERIFIED (rows)");
    assertThat(r.out()).contains("columns not carried (drop:): file, modified, doc");
    assertThat(count(url, "SELECT count(*) FROM app.translations WHERE status = 'draft'"))
        .isEqualTo(40);
    assertThat(
            count(
                url,
                "SELECT count(*) FROM app.translations WHERE body = 'Übersetzung' || chr(9) || substr(tweet_id, 6) || '\\n'"))
        .as("tabs and newlines arrive as they were")
        .isEqualTo(40);
    assertThat(count(url, "SELECT count(*) FROM ferry.mapped_rows")).isEqualTo(40);
    assertThat(count(url, "SELECT count(*) FROM app.translations WHERE body = 'old'"))
        .as("rows already there are kept")
        .isOne();
    assertThat(
            count(
                url, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'drafts'"))
        .as("Ferry creates no table of its own for a mapped source table")
        .isZero();
  }

  @Test
  void aValueThatDoesNotFitIsSetAsideVerbatimOrStopsTheRun() throws Exception {
    String tooLong =
        "INSERT INTO drafts VALUES ('x.json', '2024', '9', 'text', 'de-CH-1901', '{}');\n";
    TargetUrl url = TestPostgres.newDatabase();
    sql(url, APP_DDL);
    Path db = drafts(10, tooLong);
    Ferry.Result fail =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "--config",
            yaml(MAP),
            "--on-bad-value",
            "fail");
    assertThat(fail.exitCode()).as(fail.all()).isEqualTo(5);
    assertThat(fail.all()).contains("drafts").contains("x.json").contains("column lang");
    assertThat(count(url, "SELECT count(*) FROM app.translations")).isZero();

    TargetUrl url2 = TestPostgres.newDatabase();
    sql(url2, APP_DDL);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url2.display(), "--config", yaml(MAP));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.out()).contains("SET ASIDE 1");
    assertThat(count(url2, "SELECT count(*) FROM app.translations")).isEqualTo(10);
    assertThat(
            count(
                url2,
                "SELECT count(*) FROM ferry.rejects WHERE original_row->>'lang' = 'de-CH-1901'"
                    + " AND row_key->>'file' = 'x.json' AND reason LIKE 'column lang:%'"))
        .isOne();
  }

  @Test
  void twoSourcesIntoOneTableAreAccountedForPerSource() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("queues.db"),
            """
            CREATE TABLE unprocessed_tweets (tweet_id TEXT PRIMARY KEY, added TEXT);
            CREATE TABLE processed_tweets (tweet_id TEXT PRIMARY KEY, added TEXT);
            INSERT INTO unprocessed_tweets VALUES ('1', '2024-05-01T10:00:00Z'), ('2', '2024-05-01T11:00:00Z');
            INSERT INTO processed_tweets VALUES ('3', '2024-04-01T10:00:00Z');
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO users VALUES (1, 'ada');
            """);
    TargetUrl url = TestPostgres.newDatabase();
    sql(
        url,
        "CREATE TABLE tweet_processing_queue (tweet_id text PRIMARY KEY, added_at text NOT NULL,"
            + " status text NOT NULL CHECK (status IN ('pending', 'done')))");
    Path config =
        yaml(
            """
            map:
              unprocessed_tweets: {into: public.tweet_processing_queue, columns: {added: added_at}, set: {status: pending}}
              processed_tweets: {into: tweet_processing_queue, columns: {added: added_at}, set: {status: done}}
            """);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM tweet_processing_queue WHERE status = 'pending'"))
        .isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM tweet_processing_queue WHERE status = 'done'"))
        .isOne();
    assertThat(count(url, "SELECT count(*) FROM users")).as("unmapped tables load as ever").isOne();
    Ferry.Result verify = Ferry.run("verify", db, "--target", url.display(), "--config", config);
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(verify.out())
        .as("the mapped tables are re-checked too, each against its own source table")
        .contains("OK: 3 tables match")
        .containsPattern("(?m)^unprocessed_tweets .*VERIFIED \\(rows\\)$")
        .containsPattern("(?m)^processed_tweets .*VERIFIED \\(rows\\)$");
    assertThat(
            count(
                url,
                "SELECT count(*) FROM ferry.mapped_tables WHERE rows_written = CASE source_table"
                    + " WHEN 'unprocessed_tweets' THEN 2 WHEN 'processed_tweets' THEN 1 END"))
        .isEqualTo(2);
  }

  @Test
  void theApplicationsNextInsertGetsAKeyPastTheLoadedOnes() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("jobs.db"),
            """
            CREATE TABLE jobs (job_id INTEGER PRIMARY KEY, status TEXT);
            INSERT INTO jobs VALUES (1, 'done'), (2, 'done'), (5, 'pending');
            """);
    TargetUrl url = TestPostgres.newDatabase();
    sql(url, "CREATE TABLE analysis_queue (job_id SERIAL PRIMARY KEY, status text NOT NULL)");
    Path config =
        yaml(
            """
            map:
              jobs: {into: analysis_queue}
            """);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM analysis_queue")).isEqualTo(3);
    // seed 001's app inserts without a key right after the move: the SERIAL must be past 5
    assertThat(count(url, "INSERT INTO analysis_queue (status) VALUES ('new') RETURNING job_id"))
        .isEqualTo(6);
  }

  private static final Pattern RUN = Pattern.compile("Run ([0-9a-f-]{36})");

  @Test
  void rollbackRemovesExactlyTheRowsTheRunInserted() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    sql(
        url,
        APP_DDL,
        "INSERT INTO app.translations (tweet_id, body, status) VALUES ('1', 'mine', 'posted')");
    Ferry.Result r =
        Ferry.run("migrate", drafts(25, ""), "--target", url.display(), "--config", yaml(MAP));
    assertThat(r.exitCode()).as(r.all()).isZero();
    Matcher m = RUN.matcher(r.out());
    assertThat(m.find()).isTrue();
    sql(
        url,
        "INSERT INTO app.translations (tweet_id, body, status) VALUES ('2', 'later', 'posted')");
    Ferry.Result back = Ferry.run("rollback", m.group(1), "--target", url.display());
    assertThat(back.exitCode()).as(back.all()).isZero();
    assertThat(back.out()).contains("deleted 25 rows it inserted into app.translations");
    assertThat(count(url, "SELECT count(*) FROM app.translations")).isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM app.translations WHERE status = 'draft'")).isZero();
  }
}
