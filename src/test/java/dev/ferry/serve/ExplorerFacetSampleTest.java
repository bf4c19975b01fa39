package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facets on a table too big to count per request: a generated table whose values are skewed (value
 * i of {@code kind} is about 1/i as common as the first; a JSON key likewise) and stored in an
 * order unrelated to them. For every filter, against PostgreSQL's own count over the same rows: an
 * exact answer equals it; an estimated one says so, and every value holding at least {@value
 * #SHARE_PERCENT}% of the filtered rows is within {@value #TOLERANCE_PERCENT}% of its true count. A
 * filter costs no more than none (same sample), and a write through the API is seen at once.
 */
class ExplorerFacetSampleTest {
  static final int ROWS = 150_000;
  static final int SHARE_PERCENT = 5;
  static final int TOLERANCE_PERCENT = 20;
  static final String TOKEN = "facet-sample-token-0123456789";
  private static TargetUrl url;
  private static Served served;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      // r, r2 in [0,1) from hashes of g: kind k1..k11 with P(ki) = log12(1 + 1/i) (k1 28%, k11
      // 3.5%); lang en 62%, ja 16%, es 10%, fr 7%, de 5%; grp 0..3 independent of both
      st.execute(
          "CREATE TABLE skewed AS SELECT g AS id, 'k' || floor(12 ^ r)::int AS kind,"
              + " (g * 7) % 4 AS grp, jsonb_build_object('lang', (ARRAY['en','ja','es','fr','de',"
              + " 'pt'])[floor(6 ^ (r2 * r2))::int]) AS meta FROM (SELECT g, ('x' ||"
              + " substr(md5(g::text), 1, 8))::bit(32)::bigint / 4294967296.0 AS r, ('x' ||"
              + " substr(md5('l' || g), 1, 8))::bit(32)::bigint / 4294967296.0 AS r2 FROM"
              + " generate_series(1, "
              + ROWS
              + ") g) s ORDER BY md5(g::text || 'order')");
      st.execute("ALTER TABLE skewed ADD PRIMARY KEY (id)");
      st.execute("ANALYZE skewed");
    }
    // ferry migrate never ran here: write mode must create the ferry schema (ferry.audit) itself
    served = Served.start(new ServeOptions(url, 0, "127.0.0.1", TOKEN, 5_000, true));
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.close();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode facet(String column, String filter) throws Exception {
    WriteFixture.Response r =
        WriteFixture.raw(
            served.base(),
            "GET",
            "/api/tables/public/skewed/facets?column=" + enc(column) + "&" + filter,
            null,
            "Authorization",
            "Bearer " + TOKEN);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Map<String, Long> truth(String expression, String condition) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT ("
                    + expression
                    + ")::text, count(*) FROM skewed WHERE "
                    + condition
                    + " GROUP BY 1")) {
      while (rs.next()) {
        counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }

  /** Filters as the API takes them, each with the SQL condition that means the same. */
  private static final List<String[]> FILTERS =
      List.of(
          new String[] {"", "TRUE"},
          new String[] {"grp=eq.1", "grp = 1"},
          new String[] {"grp=in.(0,3)", "grp IN (0, 3)"},
          new String[] {"kind=neq.k1", "kind <> 'k1'"},
          new String[] {enc("meta->>lang") + "=eq.en", "meta->>'lang' = 'en'"},
          new String[] {"id=lte.4000", "id <= 4000"},
          new String[] {"id=lte.15000&grp=neq.2", "id <= 15000 AND grp <> 2"},
          new String[] {"kind=eq.k11", "kind = 'k11'"},
          new String[] {"kind=eq.k12", "kind = 'k12'"},
          new String[] {"id=gt.999999", "id > 999999"});

  @Test
  void exactAnswersEqualPostgresAndEstimatesAreLabelledAndWithinTheStatedBound() throws Exception {
    int estimated = 0;
    int exact = 0;
    for (String[] column : new String[][] {{"kind", "kind"}, {"meta->>lang", "meta->>'lang'"}}) {
      for (String[] filter : FILTERS) {
        Map<String, Long> truth = truth(column[1], filter[1]);
        long total = truth.values().stream().mapToLong(Long::longValue).sum();
        JsonNode f = facet(column[0], filter[0]);
        String what = column[0] + " where " + filter[1] + ": " + f;
        if (!f.get("estimated").asBoolean()) {
          exact++;
          assertThat(f.get("values").size()).as(what).isEqualTo(truth.size());
          for (JsonNode v : f.get("values")) {
            assertThat(v.get("count").asLong())
                .as(what)
                .isEqualTo(truth.get(v.get("value").asText()));
          }
          continue;
        }
        estimated++;
        assertThat(total)
            .as("only sets past the exact bound are estimated: " + what)
            .isGreaterThan(Facets.SAMPLE_ROWS);
        assertThat(f.get("sample_percent").asDouble()).as(what).isBetween(0.1, 99.9);
        assertThat(f.get("sample_rows").asLong())
            .as(what)
            .isBetween(Facets.SAMPLE_ROWS / 2L, Facets.SAMPLE_ROWS * 2L);
        Map<String, Long> answered = new HashMap<>();
        f.get("values")
            .forEach(v -> answered.put(v.get("value").asText(), v.get("count").asLong()));
        for (Map.Entry<String, Long> t : truth.entrySet()) {
          if (t.getValue() * 100 >= total * SHARE_PERCENT) {
            assertThat(answered).as(what).containsKey(t.getKey());
            assertThat(answered.get(t.getKey()))
                .as(what + " " + t.getKey() + " (true " + t.getValue() + ")")
                .isBetween(
                    t.getValue() * (100 - TOLERANCE_PERCENT) / 100,
                    t.getValue() * (100 + TOLERANCE_PERCENT) / 100);
          }
        }
      }
    }
    assertThat(estimated).as("the generated table exercises both paths").isGreaterThan(4);
    assertThat(exact).isGreaterThan(4);
  }

  @Test
  void concurrentRequestsForOneFacetShareOneAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(pool.submit(() -> facet("kind", "grp=eq.2")));
      }
      JsonNode first = answers.get(0).get();
      assertThat(first.get("estimated").asBoolean()).isTrue();
      for (Future<JsonNode> a : answers) {
        assertThat(a.get().get("values")).isEqualTo(first.get("values"));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aWriteThroughTheApiIsSeenByTheNextFacetAtOnce() throws Exception {
    JsonNode before = facet("kind", "grp=eq.3");
    assertThat(before.get("estimated").asBoolean()).isTrue();
    assertThat(before.toString()).contains("\"k2\"").doesNotContain("renamed");
    WriteFixture.Response w =
        WriteFixture.raw(
            served.base(),
            "PATCH",
            "/api/tables/public/skewed/rows?kind=eq.k2&grp=eq.3",
            "{\"kind\": \"renamed\"}",
            "Authorization",
            "Bearer " + TOKEN,
            "Content-Type",
            "application/json");
    assertThat(w.status()).as(w.body()).isEqualTo(200);
    JsonNode after = facet("kind", "grp=eq.3");
    assertThat(after.toString()).contains("\"renamed\"").doesNotContain("\"k2\"");
    WriteFixture.Response undo =
        WriteFixture.raw(
            served.base(),
            "POST",
            "/api/audit/" + w.json().get("audit_id").asLong() + "/undo",
            "",
            "Authorization",
            "Bearer " + TOKEN);
    assertThat(undo.status()).as(undo.body()).isEqualTo(200);
    assertThat(facet("kind", "grp=eq.3").toString()).contains("\"k2\"").doesNotContain("renamed");
  }
}
