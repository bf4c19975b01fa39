package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whatever the searched word's frequency, and however stale the table's statistics, a search's page
 * reads at most about {@link SearchBound#COUNT_UP_TO} rows of the table, and answers the same rows
 * as PostgreSQL asked directly. The words: one in 60% and one in 40% of the rows (in the
 * statistics' most common words: estimated, the page walks the key order), one in 60 rows (counted;
 * the page fetches them through the index), one in no row (on 1M tweets the walk in key order read
 * the whole table for such a word: 7 s), and one added to 12,000 rows after the last ANALYZE (the
 * statistics say it is rare; counting finds it is not). The oracle for rows read is {@code EXPLAIN
 * ANALYZE} of the page as served, under the settings the bound chose.
 */
class SearchPlanBoundTest {
  static final int ROWS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TargetUrl url;
  private static HikariDataSource pool;
  private static Catalog catalog;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE posts AS SELECT g AS id, CASE WHEN g % 5 < 2 THEN 'ferry ' ELSE 'bus '"
              + " END || CASE WHEN g % 1000 = 7 THEN 'lighthouse ' ELSE '' END || md5(g::text)"
              + " AS body FROM generate_series(1, "
              + ROWS
              + ") g ORDER BY md5(g::text)");
      st.execute("ALTER TABLE posts ADD PRIMARY KEY (id)");
      st.execute("ALTER TABLE posts SET (autovacuum_enabled = false)");
      st.execute("CREATE INDEX posts_fts ON posts USING gin (to_tsvector('simple', body))");
      st.execute("ANALYZE posts");
      st.execute("CREATE TABLE loose AS SELECT * FROM posts"); // no key: ordered by ctid
      st.execute("CREATE INDEX loose_fts ON loose USING gin (to_tsvector('simple', body))");
      st.execute("ANALYZE loose");
      st.execute("UPDATE posts SET body = 'surge ' || body WHERE id % 5 = 4");
      st.execute("UPDATE posts SET body = 'tail ' || body WHERE id > " + (ROWS - 12_000));
    }
    pool =
        Explorer.readOnlyPool(
            new ServeOptions(url, 0, "127.0.0.1", null, 10_000), new SimpleMeterRegistry());
    catalog = new Catalog(pool);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "bus, estimated",
    "ferry, estimated",
    "lighthouse, counted",
    "zeppelin, counted",
    "surge, at least",
  })
  void aSearchReadsAboutTheBoundAtMostAndAnswersAsPostgresDoes(String word, String kind)
      throws Exception {
    RowQuery q =
        new RowQuery(
            catalog.table("public", "posts"),
            Map.of("q", List.of(word), "limit", List.of("20")),
            false);
    try (Connection c = pool.getConnection()) {
      SearchBound.Matches m = SearchBound.prepare(c, q);
      assertThat(m.estimated()).isEqualTo(kind.equals("estimated"));
      assertThat(m.exact()).isEqualTo(kind.equals("counted"));
      assertThat(m.count()).isEqualTo(kind.equals("estimated") ? m.count() : expected(word));
      JsonNode plan;
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + q.sql)) {
        JsonOut.bind(ps, q.bind);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
        }
      }
      assertThat(rowsRead(plan))
          .as(plan.toPrettyString())
          .isLessThanOrEqualTo(2 * SearchBound.COUNT_UP_TO);
      List<Integer> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(q.sql)) {
        JsonOut.bind(ps, q.bind);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getInt("id"));
          }
        }
      }
      c.rollback();
      assertThat(ids).isEqualTo(oracle(word));
    }
  }

  @ParameterizedTest(name = "{0} ordered by {1}")
  @CsvSource({"posts, id, true", "posts, '', true", "posts, body, false", "loose, '', false"})
  void manyMatchesWalkOnlyAnOrderAnIndexGivesElseReadEachMatchOnce(
      String table, String order, boolean walks) throws Exception {
    Map<String, List<String>> params = new java.util.HashMap<>();
    params.put("q", List.of("ferry"));
    params.put("limit", List.of("20"));
    if (!order.isEmpty()) {
      params.put("order", List.of(order));
    }
    RowQuery q = new RowQuery(catalog.table("public", table), params, false);
    try (Connection c = pool.getConnection()) {
      SearchBound.Matches m = SearchBound.prepare(c, q);
      assertThat(m.walks()).isEqualTo(walks);
      JsonNode plan;
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + q.sql)) {
        JsonOut.bind(ps, q.bind);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
        }
      }
      c.rollback();
      long matches = ROWS * 2 / 5; // 'ferry' is in 2 rows of 5
      assertThat(rowsRead(plan))
          .as(plan.toPrettyString())
          .isLessThanOrEqualTo(walks ? 2 * SearchBound.COUNT_UP_TO : matches);
    }
  }

  @ParameterizedTest
  @CsvSource({"tail", "surge", "ferry"})
  void aWalkThatOutlastsItsBudgetGivesWayToTheIndexWithTheSameRows(String word) throws Exception {
    try (Connection c = pool.getConnection()) {
      RowQuery q =
          new RowQuery(
              catalog.table("public", "posts"),
              Map.of("q", List.of(word), "limit", List.of("20")),
              false);
      SearchBound.Matches m = SearchBound.prepare(c, q);
      assertThat(m.walks()).isTrue();
      List<Integer> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(q.sql)) {
        JsonOut.bind(ps, q.bind);
        try (ResultSet rs =
            SearchBound.page(c, ps, m, 1)) { // every walk of 1,000s of rows gives up
          while (rs.next()) {
            ids.add(rs.getInt("id"));
          }
        }
      }
      c.rollback();
      assertThat(ids).hasSize(21).isEqualTo(oracle(word));
    }
  }

  private static long expected(String word) {
    return switch (word) {
      case "lighthouse" -> ROWS / 1000;
      case "zeppelin" -> 0;
      default -> SearchBound.COUNT_UP_TO;
    };
  }

  /** Rows the plan read from posts: those it kept and those its filters and rechecks removed. */
  private static long rowsRead(JsonNode node) {
    long n = 0;
    if ("posts".equals(node.path("Relation Name").asText())) {
      n +=
          (node.path("Actual Rows").asLong()
                  + node.path("Rows Removed by Filter").asLong()
                  + node.path("Rows Removed by Index Recheck").asLong())
              * Math.max(1, node.path("Actual Loops").asLong());
    }
    for (JsonNode child : node.path("Plans")) {
      n += rowsRead(child);
    }
    return n;
  }

  private static List<Integer> oracle(String word) throws Exception {
    return ExplorerSearchBoundTest.oracle(url, word, 21);
  }
}
