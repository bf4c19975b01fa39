package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of the seed-001 example survives the trip: each PostgreSQL value equals its SQLite
 * value, compared by an oracle independent of Ferry's own parsers (java.time, Jackson trees).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwitterRoundTripTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  TargetUrl url;
  Path db;
  Ferry.Result run;

  @BeforeAll
  void migrate(@TempDir Path tmp) {
    db = tmp.resolve("twitter.db");
    TwitterExample.write(db, 3000, 7);
    url = TestPostgres.newDatabase();
    run = Ferry.run("migrate", db, "--target", url.display(), "--quiet");
  }

  @Test
  void exitsZeroAndReportsEveryTableVerified() {
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).contains("OK: ").contains("checksums of every value verified");
    assertThat(run.out().lines().filter(l -> l.contains("VERIFIED")).count()).isEqualTo(10);
  }

  @Test
  void choosesTheTypesAPersonWould() throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name IN ('tweets', 'analysis_queue') ORDER BY 1")) {
      List<String> types = new ArrayList<>();
      while (rs.next()) {
        types.add(rs.getString(1) + " " + rs.getString(2));
      }
      assertThat(types)
          .contains(
              "tweets.metadata jsonb",
              "tweets.is_reply boolean",
              "tweets.created_at timestamp with time zone",
              "tweets.id text",
              "analysis_queue.job_id bigint",
              "analysis_queue.priority bigint");
    }
  }

  @Test
  void everyValueEqualsItsSource() throws Exception {
    String[][] tables = {
      {"users", "id"},
      {"tweets", "id"},
      {"personality_analysis", "id"},
      {"funnel_progress", "user_id"},
      {"funnel_completion", "user_id"},
      {"referral_codes", "code"},
      {"referral_tracking", "id"},
      {"referral_usage_log", "id"},
      {"analysis_queue", "job_id"},
      {"analysis_chunks", "chunk_id"}
    };
    long compared = 0;
    try (Connection lite = Sqlite.open(db);
        Connection pg = TestPostgres.connect(url)) {
      for (String[] t : tables) {
        String sql = "SELECT * FROM " + t[0] + " ORDER BY " + t[1];
        try (Statement a = lite.createStatement();
            ResultSet s = a.executeQuery(sql.replace("ORDER BY", "ORDER BY CAST(") + " AS TEXT)");
            Statement b = pg.createStatement();
            ResultSet p =
                b.executeQuery(
                    sql.replace("ORDER BY", "ORDER BY CAST(") + " AS TEXT) COLLATE \"C\"")) {
          ResultSetMetaData meta = p.getMetaData();
          while (s.next()) {
            assertThat(p.next()).as("%s has fewer rows than the source", t[0]).isTrue();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              String where =
                  t[0] + "." + meta.getColumnName(i) + " of " + t[1] + "=" + s.getString(t[1]);
              assertEqual(meta.getColumnTypeName(i), s.getObject(i), p, i, where);
              compared++;
            }
          }
          assertThat(p.next()).as("%s has more rows than the source", t[0]).isFalse();
        }
      }
    }
    assertThat(compared).isGreaterThan(25_000);
  }

  private static void assertEqual(String pgType, Object source, ResultSet p, int i, String where)
      throws Exception {
    if (source == null) {
      assertThat(p.getObject(i)).as(where).isNull();
      return;
    }
    switch (pgType) {
      case "jsonb" ->
          assertThat(JSON.readTree(p.getString(i)))
              .as(where)
              .isEqualTo(JSON.readTree((String) source));
      case "timestamptz" ->
          assertThat(p.getObject(i, OffsetDateTime.class).toInstant())
              .as(where)
              .isEqualTo(instant((String) source));
      case "bool" ->
          assertThat(p.getBoolean(i) ? 1 : 0).as(where).isEqualTo(((Number) source).intValue());
      case "int8" -> assertThat(p.getLong(i)).as(where).isEqualTo(((Number) source).longValue());
      default -> assertThat(p.getString(i)).as(where).isEqualTo(Objects.toString(source));
    }
  }

  private static Instant instant(String sqlite) {
    if (sqlite.endsWith("Z")) {
      return Instant.parse(sqlite);
    }
    return LocalDateTime.parse(sqlite.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
  }

  @SuppressWarnings("unused")
  private static JsonNode tree(String s) throws Exception {
    return JSON.readTree(s);
  }
}
