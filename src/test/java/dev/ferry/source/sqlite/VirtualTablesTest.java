package dev.ferry.source.sqlite;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full-text tables arrive as what they mean in PostgreSQL (their content and a text-search index),
 * every other virtual table is listed as not carried, and no shadow table is ever copied as data.
 */
class VirtualTablesTest {
  @TempDir Path tmp;

  private static final String[] WORDS = {"ferry", "postgres", "sqlite", "river", "harbour", "café"};

  @Test
  void fullTextTablesBecomeTablesWithSearchIndexesAndShadowTablesStayBehind() throws Exception {
    StringBuilder script =
        new StringBuilder(
            """
            CREATE VIRTUAL TABLE docs USING fts5(title, body, lang UNINDEXED);
            CREATE VIRTUAL TABLE notes USING fts4(subject, text);
            CREATE TABLE posts (id INTEGER PRIMARY KEY, headline TEXT, content TEXT);
            CREATE VIRTUAL TABLE posts_fts USING fts5(headline, content, content='posts', content_rowid='id');
            CREATE VIRTUAL TABLE empty_index USING fts5(x, content='');
            CREATE VIRTUAL TABLE boxes USING rtree(id, minx, maxx);
            INSERT INTO boxes VALUES (1, 0.5, 2.5);
            """);
    java.util.Random random = new java.util.Random(3);
    for (int i = 1; i <= 30; i++) {
      String a = WORDS[random.nextInt(WORDS.length)];
      String b = WORDS[random.nextInt(WORDS.length)];
      script.append(
          String.format(
              "INSERT INTO docs (rowid, title, body, lang) VALUES (%d, 'title %s', 'the %s and the %s', 'en');%n",
              i * 3, a, a, b));
      script.append(
          String.format(
              "INSERT INTO notes (docid, subject, text) VALUES (%d, '%s', '%s %s');%n",
              i, a, b, a));
      script.append(
          String.format("INSERT INTO posts VALUES (%d, '%s news', 'about %s');%n", i, a, b));
    }
    script.append("INSERT INTO posts_fts (posts_fts) VALUES ('rebuild')");
    Path db = Sqlite.create(tmp.resolve("search.db"), script.toString());
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--verify", "full");
    assertThat(r.exitCode()).as(r.all()).isZero();

    List<String> tables =
        strings(
            url,
            "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' ORDER BY 1");
    assertThat(tables).containsExactly("docs", "notes", "posts");
    assertThat(r.out())
        .contains("virtual table boxes (rtree): not carried")
        .contains("virtual table empty_index (fts5): not carried: a contentless full-text table")
        .contains("virtual table posts_fts (fts5): its content is table posts");

    try (Connection lite = Sqlite.open(db)) {
      assertThat(
              strings(
                  url,
                  "SELECT rowid || '|' || title || '|' || body || '|' || lang FROM docs ORDER BY rowid"))
          .isEqualTo(
              strings(
                  lite,
                  "SELECT rowid || '|' || title || '|' || body || '|' || lang FROM docs ORDER BY rowid"));
      assertThat(
              strings(
                  url, "SELECT rowid || '|' || subject || '|' || text FROM notes ORDER BY rowid"))
          .isEqualTo(
              strings(
                  lite, "SELECT docid || '|' || subject || '|' || text FROM notes ORDER BY docid"));
      for (String word : WORDS) {
        assertThat(
                strings(
                    url,
                    "SELECT rowid FROM docs WHERE to_tsvector('simple', body) @@ to_tsquery('simple', '"
                        + word
                        + "') ORDER BY rowid"))
            .as(word)
            .isEqualTo(
                strings(
                    lite, "SELECT rowid FROM docs WHERE body MATCH '" + word + "' ORDER BY rowid"));
        assertThat(
                strings(
                    url,
                    "SELECT id FROM posts WHERE to_tsvector('simple', content) @@ to_tsquery('simple', '"
                        + word
                        + "') ORDER BY id"))
            .as(word)
            .isEqualTo(
                strings(
                    lite,
                    "SELECT rowid FROM posts_fts WHERE content MATCH '"
                        + word
                        + "' ORDER BY rowid"));
      }
    }
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"
                    + " AND indexdef LIKE '%USING gin (to_tsvector(''simple''::regconfig, %'"))
        .as("title, body; subject, text; headline, content")
        .isEqualTo(6);
  }

  @Test
  void theTextSearchConfigurationIsFerryYamlsFulltextLanguage() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("lang.db"),
            "CREATE VIRTUAL TABLE docs USING fts5(body);\n"
                + " INSERT INTO docs VALUES ('the harbours were running');");
    Path config =
        java.nio.file.Files.writeString(tmp.resolve("ferry.yaml"), "fulltext_language: english\n");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("to_tsvector('english', column)");
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE"
                    + " '%to_tsvector(''english''::regconfig, body)%'"))
        .isOne();
    assertThat(count(url, "SELECT count(*) FROM docs")).isOne();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM docs WHERE to_tsvector('english', body)"
                    + " @@ to_tsquery('english', 'harbours')"))
        .isOne();

    Path bad =
        java.nio.file.Files.writeString(
            tmp.resolve("bad.yaml"), "fulltext_language: \"x'; drop\"\n");
    Ferry.Result refused = Ferry.run("migrate", db, "--target", url.display(), "--config", bad);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.all()).contains("bad.yaml:1").contains("fulltext_language");
  }

  private static List<String> strings(TargetUrl url, String sql) throws Exception {
    try (Connection c = TestPostgres.connect(url)) {
      return strings(c, sql);
    }
  }

  private static List<String> strings(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
