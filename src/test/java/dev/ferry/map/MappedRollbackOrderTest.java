package dev.ferry.map;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback of a run that mapped a parent table and its children (seed 002's articles and
 * raw_articles): the children's rows go first, whatever the source tables are called, so a plain
 * foreign key does not refuse the rollback and ON DELETE CASCADE does not remove the run's child
 * rows before they are counted. The user's own rows stay.
 */
class MappedRollbackOrderTest {
  private static final Pattern RUN = Pattern.compile("Run ([0-9a-f-]{36})");

  @TempDir Path tmp;

  @Test
  void childRowsAreDeletedBeforeTheParentsTheyReference() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("news.db"),
            """
            CREATE TABLE a_articles (uri TEXT PRIMARY KEY);
            CREATE TABLE b_alerts (id INTEGER PRIMARY KEY, uri TEXT);
            CREATE TABLE c_cache (id INTEGER PRIMARY KEY, uri TEXT);
            INSERT INTO a_articles VALUES ('u1'), ('u2');
            INSERT INTO b_alerts VALUES (10, 'u1'), (11, 'u2');
            INSERT INTO c_cache VALUES (20, 'u1'), (21, 'u2');
            """);
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(
        url,
        "CREATE TABLE articles (uri text PRIMARY KEY)",
        "CREATE TABLE alerts (id int PRIMARY KEY, uri text NOT NULL REFERENCES articles)",
        "CREATE TABLE cache (id int PRIMARY KEY,"
            + " uri text NOT NULL REFERENCES articles ON DELETE CASCADE)",
        "INSERT INTO articles VALUES ('mine')",
        "INSERT INTO alerts VALUES (1, 'mine')",
        "INSERT INTO cache VALUES (2, 'mine')");
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(
        config,
        """
        map:
          a_articles: {into: articles}
          b_alerts: {into: alerts}
          c_cache: {into: cache}
        """);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();
    Matcher m = RUN.matcher(r.out());
    assertThat(m.find()).isTrue();

    Ferry.Result back = Ferry.run("rollback", m.group(1), "--target", url.display());
    assertThat(back.exitCode()).as(back.all()).isZero();
    assertThat(back.out())
        .contains("deleted 2 rows it inserted into public.alerts")
        .contains("deleted 2 rows it inserted into public.cache")
        .contains("deleted 2 rows it inserted into public.articles")
        .doesNotContain("already gone");
    assertThat(count(url, "SELECT count(*) FROM articles WHERE uri = 'mine'")).isOne();
    assertThat(count(url, "SELECT count(*) FROM alerts")).isOne();
    assertThat(count(url, "SELECT count(*) FROM cache")).isOne();
    assertThat(count(url, "SELECT count(*) FROM articles")).isOne();
  }
}
