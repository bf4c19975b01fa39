package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search over a word in four rows of ten and over a rare one, on a table with a full-text index,
 * served under a tight statement timeout: the common word answers within it, its match count is the
 * planner's estimate and says so, and its first page is still the top of the first candidates in
 * key order ranked, as PostgreSQL itself ranks them; the rare word's count is exact.
 */
class ExplorerSearchBoundTest {
  static final int ROWS = 60_000;
  private static TargetUrl url;
  private static Served served;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE posts AS SELECT g AS id, CASE WHEN g % 5 < 2 THEN repeat('ferry ', 1 + g"
              + " % 3) ELSE 'bus ' END || CASE WHEN g % 1000 = 7 THEN 'lighthouse ' ELSE '' END ||"
              + " md5(g::text) AS body FROM generate_series(1, "
              + ROWS
              + ") g ORDER BY md5(g::text)");
      st.execute("ALTER TABLE posts ADD PRIMARY KEY (id)");
      st.execute("CREATE INDEX posts_fts ON posts USING gin (to_tsvector('simple', body))");
      st.execute("ANALYZE posts");
    }
    served = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 2_000));
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.close();
    }
  }

  private static List<Integer> oracle(String word) throws Exception {
    return oracle(url, word, 20);
  }

  /**
   * The first {@code limit} ids of a search for {@code word} over {@code posts(id, body)}, asked of
   * PostgreSQL directly: the first candidates in key order, ranked, ties by key.
   */
  static List<Integer> oracle(TargetUrl url, String word, int limit) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id FROM (SELECT id, ts_rank(to_tsvector('simple', body),"
                    + " websearch_to_tsquery('simple', '"
                    + word
                    + "')) AS r FROM posts WHERE to_tsvector('simple', body) @@"
                    + " websearch_to_tsquery('simple', '"
                    + word
                    + "') ORDER BY id LIMIT "
                    + RowQuery.SEARCH_CANDIDATES
                    + ") c ORDER BY r DESC, id LIMIT "
                    + limit)) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  private static JsonNode search(String word) throws Exception {
    ExplorerFixture.Response r =
        ExplorerFixture.fetch(served.base() + "/api/tables/public/posts/rows?limit=20&q=" + word);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<Integer> ids(JsonNode page) {
    List<Integer> ids = new ArrayList<>();
    page.get("rows").forEach(row -> ids.add(row.get("id").asInt()));
    return ids;
  }

  @Test
  void aCommonWordAnswersItsFirstPageWithinTheTimeoutAndSaysItsCountIsAnEstimate()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      JsonNode page = search("ferry");
      assertThat(page.get("search_matches_exact").asBoolean()).isFalse();
      assertThat(page.get("search_matches_estimated").asBoolean()).isTrue();
      // the planner's estimate from the statistics: 4 rows in 10 match
      assertThat(page.get("search_matches").asLong()).isBetween(ROWS * 3 / 10L, ROWS * 5 / 10L);
      assertThat(ids(page)).isEqualTo(oracle("ferry"));
    }
  }

  @Test
  void aRareWordsCountIsExact() throws Exception {
    JsonNode page = search("lighthouse");
    assertThat(page.get("search_matches_exact").asBoolean()).isTrue();
    assertThat(page.get("search_matches").asLong()).isEqualTo(ROWS / 1000);
    assertThat(ids(page)).isEqualTo(oracle("lighthouse"));
  }
}
