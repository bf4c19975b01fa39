package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.sql.SqlText;
import dev.ferry.testing.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filtered count and the facets: for every combination of filters, they agree with what
 * PostgreSQL itself counts over the same rows; past the exact bound they say they are estimates and
 * stay near the truth.
 */
class ExplorerFacetsTest {
  private static ExplorerFixture f;

  @BeforeAll
  static void serve() throws Exception {
    f = ExplorerFixture.get();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Filters as the API takes them, each with the SQL condition that means the same. */
  private static final List<String[]> FILTERS =
      List.of(
          new String[] {"", "TRUE"},
          new String[] {"is_reply=is.true", "is_reply"},
          new String[] {"is_reply=is.false", "NOT is_reply"},
          new String[] {enc("metadata->>lang") + "=eq.en", "metadata->>'lang' = 'en'"},
          new String[] {enc("metadata->>lang") + "=neq.en", "metadata->>'lang' <> 'en'"},
          new String[] {"text=ilike.*a*", "text ILIKE '%a%'"},
          new String[] {"url=is.null", "url IS NULL"},
          new String[] {
            "is_reply=is.false&" + enc("metadata->>lang") + "=in.(en,fr)",
            "NOT is_reply AND metadata->>'lang' IN ('en', 'fr')"
          },
          new String[] {"id=eq.no-such-tweet", "id = 'no-such-tweet'"});

  @Test
  void theCountIsExactlyWhatPostgresCountsForEveryFilter() throws Exception {
    for (String[] filter : FILTERS) {
      long truth = TestPostgres.count(f.url, "SELECT count(*) FROM tweets WHERE " + filter[1]);
      JsonNode n = f.get("/api/tables/public/tweets/count?" + filter[0]).json();
      assertThat(n.get("count").asLong()).as(filter[0]).isEqualTo(truth);
      assertThat(n.get("exact").asBoolean()).isTrue();
    }
  }

  @Test
  void facetsCountEachValueAmongTheFilteredRows() throws Exception {
    for (String column : List.of("is_reply", "metadata->>lang", "user_id", "url")) {
      String sqlColumn = column.contains("->>") ? "metadata->>'lang'" : SqlText.ident(column);
      for (String[] filter : FILTERS) {
        Map<String, Long> truth = new HashMap<>();
        try (Connection c = TestPostgres.connect(f.url);
            Statement st = c.createStatement();
            java.sql.ResultSet rs =
                st.executeQuery(
                    "SELECT ("
                        + sqlColumn
                        + ")::text, count(*) FROM tweets WHERE "
                        + filter[1]
                        + " GROUP BY 1")) {
          while (rs.next()) {
            truth.put(String.valueOf(rs.getString(1)), rs.getLong(2));
          }
        }
        ExplorerFixture.Response r =
            f.get("/api/tables/public/tweets/facets?column=" + enc(column) + "&" + filter[0]);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode facets = r.json();
        assertThat(facets.get("column").asText()).isEqualTo(column);
        assertThat(facets.get("estimated").asBoolean()).isFalse();
        JsonNode values = facets.get("values");
        assertThat(values.size())
            .as(column + " " + filter[0])
            .isEqualTo(Math.min(truth.size(), FacetHandler.VALUES));
        assertThat(facets.get("more").asBoolean()).isEqualTo(truth.size() > FacetHandler.VALUES);
        long previous = Long.MAX_VALUE;
        for (JsonNode v : values) {
          String value = v.get("value").isNull() ? "null" : v.get("value").asText();
          assertThat(v.get("count").asLong()).as(column + "=" + value).isEqualTo(truth.get(value));
          assertThat(v.get("count").asLong()).isLessThanOrEqualTo(previous); // most common first
          previous = v.get("count").asLong();
        }
      }
    }
  }

  @Test
  void aFacetValueReadsBackAsAFilterThatCountsTheSameRows() throws Exception {
    JsonNode values =
        f.get("/api/tables/public/tweets/facets?column=" + enc("metadata->>lang"))
            .json()
            .get("values");
    assertThat(values.size()).isGreaterThan(1);
    for (JsonNode v : values) {
      String filter =
          enc("metadata->>lang")
              + (v.get("value").isNull() ? "=is.null" : "=eq." + enc(v.get("value").asText()));
      assertThat(f.get("/api/tables/public/tweets/count?" + filter).json().get("count").asLong())
          .isEqualTo(v.get("count").asLong());
    }
  }

  @Test
  void suggestedFacetsAreTheLowCardinalityColumns() throws Exception {
    JsonNode s = f.get("/api/tables/public/tweets/facets/suggested").json().get("columns");
    List<String> names = new java.util.ArrayList<>();
    s.forEach(c -> names.add(c.asText()));
    assertThat(names).contains("is_reply").doesNotContain("id", "text");
  }

  @Test
  void pastTheBoundCountsAndFacetsAreLabelledEstimatesNearTheTruth() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    long rows = 3 * Counts.EXACT_UP_TO;
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE events AS SELECT g AS id, (ARRAY['click','view','buy'])[1 + g % 3] AS kind,"
              + " g % 2 = 0 AS even FROM generate_series(1, "
              + rows
              + ") g");
      st.execute("ALTER TABLE events ADD PRIMARY KEY (id)");
      st.execute("ANALYZE events");
    }
    try (Served e = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5_000))) {
      JsonNode n = ExplorerFixture.fetch(e.base() + "/api/tables/public/events/count").json();
      assertThat(n.get("exact").asBoolean()).isFalse();
      assertThat(n.get("count").asLong()).isBetween(rows * 9 / 10, rows * 11 / 10);
      JsonNode small =
          ExplorerFixture.fetch(e.base() + "/api/tables/public/events/count?id=lte.500").json();
      assertThat(small.get("exact").asBoolean()).isTrue();
      assertThat(small.get("count").asLong()).isEqualTo(500);

      JsonNode facets =
          ExplorerFixture.fetch(
                  e.base() + "/api/tables/public/events/facets?column=kind&even=is.true")
              .json();
      assertThat(facets.get("estimated").asBoolean()).isTrue();
      assertThat(facets.get("values").size()).isEqualTo(3);
      for (JsonNode v : facets.get("values")) {
        assertThat(v.get("count").asLong()).isBetween(rows / 6 * 7 / 10, rows / 6 * 13 / 10);
      }
      JsonNode exact =
          ExplorerFixture.fetch(
                  e.base() + "/api/tables/public/events/facets?column=kind&id=lte.600")
              .json();
      assertThat(exact.get("estimated").asBoolean()).isFalse();
      exact.get("values").forEach(v -> assertThat(v.get("count").asLong()).isEqualTo(200));
    }
  }

  @Test
  void badFacetAndCountRequestsAreUsageErrorsNamingWhy() throws Exception {
    Map<String, String> cases =
        Map.of(
            "/api/tables/public/tweets/facets", "name the column",
            "/api/tables/public/tweets/facets?column=nope", "unknown column",
            "/api/tables/public/tweets/count?q=hello", "takes filters, not q=",
            "/api/tables/public/tweets/count?is_reply=zz.1", "OPERATOR.VALUE",
            "/api/tables/public/nope/count", "nope");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ExplorerFixture.Response r = f.get(c.getKey());
      assertThat(r.status()).as(c.getKey()).isIn(400, 404);
      assertThat(r.json().get("error").asText()).contains(c.getValue());
    }
  }
}
