package dev.ferry.load;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --if-exists truncate} over tables that reference each other (a chain, a cycle, a self
 * reference) empties and reloads them together; a table outside the run that references one is
 * never emptied by CASCADE: the run is refused, naming it, and nothing changes.
 */
class TruncateTest {
  @TempDir Path tmp;

  private static final String SCHEMA =
      """
      CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, boss INTEGER REFERENCES users(id));
      CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
      CREATE TABLE likes (post_id INTEGER REFERENCES posts(id), user_id INTEGER REFERENCES users(id));
      CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id));
      CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
      INSERT INTO users VALUES (1, 'ann', NULL);
      INSERT INTO users VALUES (2, 'bob', 1);
      INSERT INTO posts VALUES (10, 1);
      INSERT INTO posts VALUES (11, 2);
      INSERT INTO likes VALUES (10, 2);
      INSERT INTO a VALUES (1, 1);
      INSERT INTO b VALUES (1, 1)""";

  @Test
  void tablesThatReferenceEachOtherAreTruncatedTogetherAndReloaded() throws Exception {
    Path db = Sqlite.create(tmp.resolve("app.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result first = Ferry.run("migrate", db, "--target", url.display());
    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                    + " AND connamespace = 'public'::regnamespace"))
        .isEqualTo(6);
    for (int run = 0; run < 2; run++) {
      Ferry.Result again =
          Ferry.run("migrate", db, "--target", url.display(), "--if-exists", "truncate");
      assertThat(again.exitCode()).as(again.all()).isZero();
      assertThat(again.all()).doesNotContain("Exception");
      assertThat(count(url, "SELECT count(*) FROM users")).isEqualTo(2);
      assertThat(count(url, "SELECT count(*) FROM posts")).isEqualTo(2);
      assertThat(count(url, "SELECT count(*) FROM likes")).isEqualTo(1);
      assertThat(count(url, "SELECT count(*) FROM a") + count(url, "SELECT count(*) FROM b"))
          .isEqualTo(2);
    }
  }

  @Test
  void aTableOutsideTheRunThatReferencesOneIsNamedAndNothingIsEmptied() throws Exception {
    Path db = Sqlite.create(tmp.resolve("app.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    assertThat(Ferry.run("migrate", db, "--target", url.display()).exitCode()).isZero();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE audit (user_id bigint REFERENCES users(id))");
      st.execute("INSERT INTO audit VALUES (1)");
    }
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--if-exists", "truncate");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err())
        .contains("audit")
        .contains("nothing was changed")
        .doesNotContain("Exception");
    assertThat(count(url, "SELECT count(*) FROM audit")).isOne();
    assertThat(count(url, "SELECT count(*) FROM users")).isEqualTo(2);
  }
}
