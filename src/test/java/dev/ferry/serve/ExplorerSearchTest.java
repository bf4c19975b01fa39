package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Search is a function of the request: the same query answers the same rows in the same order, on
 * every request and across its pages, and a sort given with it is the order of the results. The
 * tables hold more matches than the candidate cap, stored in an order unlike their key's (so a scan
 * that stops at the first 200 matches it meets gives other rows than the first 200 by the requested
 * order); the oracle is the same question asked of PostgreSQL directly.
 */
class ExplorerSearchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TargetUrl url;
  private static Served served;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String table : List.of("plain", "ranked")) {
        st.execute(
            "CREATE TABLE " + table + " (id int PRIMARY KEY, body text, score int, note text)");
        // stored in a scrambled order; half the rows match, with one, two or three hits
        st.execute(
            "INSERT INTO "
                + table
                + " SELECT g, CASE WHEN g % 2 = 0 THEN repeat('ferry ', 1 + g % 3) || 'boat ' || g"
                + " ELSE 'bus ' || g END, (g * 37) % 11, CASE WHEN g % 5 = 0 THEN NULL ELSE"
                + " 'n' || (g % 7) END FROM generate_series(1, 900) g ORDER BY (g * 7919) % 900");
      }
      st.execute("CREATE INDEX ranked_fts ON ranked USING gin (to_tsvector('simple', body))");
      st.execute("ANALYZE");
    }
    served = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5_000));
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.close();
    }
  }

  /** Every page of a search, walked with its cursor: the ids in the order served. */
  private static List<Integer> walk(String table, String query) throws Exception {
    List<Integer> ids = new ArrayList<>();
    String next = null;
    do {
      ExplorerFixture.Response r =
          ExplorerFixture.fetch(
              served.base()
                  + "/api/tables/public/"
                  + table
                  + "/rows?limit=37&q=ferry"
                  + query
                  + (next == null ? "" : "&after=" + next));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode page = JSON.readTree(r.body());
      page.get("rows").forEach(row -> ids.add(row.get("id").asInt()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    return ids;
  }

  private static List<Integer> oracle(String sql) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  @Test
  void aSortedSearchAnswersTheFirstMatchesInThatOrderOnEveryPage() throws Exception {
    for (String table : List.of("plain", "ranked")) {
      String match =
          table.equals("plain")
              ? "body ILIKE '%ferry%'"
              : "to_tsvector('simple', body) @@ websearch_to_tsquery('simple', 'ferry')";
      for (String[] order :
          new String[][] {
            {"id", "id"},
            {"id.desc", "id DESC"},
            {"score", "score ASC NULLS LAST, id"},
            {"score.desc", "score DESC NULLS FIRST, id"},
            {"note", "note ASC NULLS LAST, id"},
            {"note.desc", "note DESC NULLS FIRST, id"}
          }) {
        List<Integer> expected =
            oracle(
                "SELECT id FROM "
                    + table
                    + " WHERE "
                    + match
                    + " ORDER BY "
                    + order[1]
                    + " LIMIT "
                    + RowQuery.SEARCH_CANDIDATES);
        assertThat(walk(table, "&order=" + order[0]))
            .as("%s ordered by %s", table, order[0])
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void anUnsortedSearchRanksTheFirstMatchesByKeyTheSameWayEveryTime() throws Exception {
    List<Integer> plain =
        oracle(
            "SELECT id FROM plain WHERE body ILIKE '%ferry%' ORDER BY id LIMIT "
                + RowQuery.SEARCH_CANDIDATES);
    assertThat(walk("plain", "")).isEqualTo(plain);
    List<Integer> ranked =
        oracle(
            "SELECT id FROM (SELECT id, ts_rank(to_tsvector('simple', body),"
                + " websearch_to_tsquery('simple', 'ferry')) AS r FROM ranked WHERE"
                + " to_tsvector('simple', body) @@ websearch_to_tsquery('simple', 'ferry') ORDER BY"
                + " id LIMIT "
                + RowQuery.SEARCH_CANDIDATES
                + ") c ORDER BY r DESC, id");
    for (int i = 0; i < 3; i++) {
      assertThat(walk("ranked", "")).isEqualTo(ranked);
    }
  }
}
