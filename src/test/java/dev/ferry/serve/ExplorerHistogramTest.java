package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Histograms of numeric, date and time columns, checked against PostgreSQL as the oracle: for
 * generated values of every such type (negative, fractional, NULL, NaN and infinities among them),
 * any bucket count and filters, the buckets are contiguous and ascending, every non-NULL row is in
 * exactly one, and each bucket's count is what its range, read back as SQL, counts. Past the count
 * bound, a sample, labelled, near the truth; bad requests are 400s naming why.
 */
class ExplorerHistogramTest {
  private static final List<String> COLUMNS = List.of("i", "big", "n", "d", "r", "day", "t", "tz");
  private static TargetUrl url;
  private static Served served;

  @BeforeAll
  static void data() throws Exception {
    url = TestPostgres.newDatabase();
    Random random = new Random(15);
    try (Connection c = TestPostgres.connect(url)) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE measures (id integer PRIMARY KEY, grp text, i integer, big bigint,"
                + " n numeric(10,2), d double precision, r real, day date, t timestamp,"
                + " tz timestamptz)");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO measures VALUES (?, ?, ?, ?, ?::numeric, ?, ?, DATE '2020-01-01' + ?,"
                  + " TIMESTAMP '2024-03-01' + ? * interval '1 second', CASE WHEN ? THEN"
                  + " 'infinity'::timestamptz ELSE TIMESTAMPTZ '2023-01-01Z' + ? * interval '1"
                  + " second' END)")) {
        for (int id = 1; id <= 1500; id++) {
          boolean none = random.nextInt(12) == 0;
          ps.setInt(1, id);
          ps.setString(2, "g" + random.nextInt(3));
          ps.setObject(3, none ? null : random.nextInt(200) - 50, java.sql.Types.INTEGER);
          ps.setObject(
              4, none ? null : random.nextLong() >> random.nextInt(60), java.sql.Types.BIGINT);
          ps.setObject(
              5,
              none ? null : String.format("%.2f", random.nextGaussian() * 300),
              java.sql.Types.VARCHAR);
          ps.setObject(
              6,
              none
                  ? null
                  : switch (random.nextInt(60)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.POSITIVE_INFINITY;
                    case 2 -> Double.NEGATIVE_INFINITY;
                    default -> random.nextDouble() * 0.003;
                  },
              java.sql.Types.DOUBLE);
          ps.setObject(7, none ? null : (float) (random.nextGaussian() * 1e6), java.sql.Types.REAL);
          ps.setObject(8, none ? null : random.nextInt(900), java.sql.Types.INTEGER);
          ps.setObject(9, none ? null : random.nextInt(7_200), java.sql.Types.INTEGER);
          ps.setBoolean(10, !none && random.nextInt(40) == 0);
          ps.setObject(11, none ? null : random.nextLong(86_400L * 400), java.sql.Types.BIGINT);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    served = Served.start(new ServeOptions(url, 0, "127.0.0.1", null, 5_000));
  }

  @AfterAll
  static void stop() {
    if (served != null) {
      served.close();
    }
  }

  private static JsonNode histogram(String query) throws Exception {
    ExplorerFixture.Response r =
        ExplorerFixture.fetch(served.base() + "/api/tables/public/measures/histogram?" + query);
    assertThat(r.status()).as(query + " → " + r.body()).isEqualTo(200);
    return r.json();
  }

  private static long count(String where, List<String> args) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM measures WHERE " + where)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String type(String column) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'measures'::regclass AND attname = ?")) {
      ps.setString(1, column);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void everyRowIsInTheOneBucketItsRangeSaysForAnyColumnBucketsAndFilter() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 24; round++) {
      String column = COLUMNS.get(round % COLUMNS.size());
      int wanted = List.of(1, 2, 3, 7, 20, 100).get(random.nextInt(6));
      String group = random.nextBoolean() ? "g" + random.nextInt(3) : null;
      String type = type(column);
      JsonNode h =
          histogram(
              "column="
                  + column
                  + "&buckets="
                  + wanted
                  + (group == null ? "" : "&grp=eq." + group));
      assertThat(h.get("estimated").asBoolean()).isFalse();
      String filter = group == null ? "TRUE" : "grp = '" + group + "'";
      String what = column + " (" + type + "), " + wanted + " buckets, " + filter;
      JsonNode buckets = h.get("buckets");
      assertThat(buckets.size()).as(what).isBetween(1, wanted + 1);
      long total = 0;
      for (int i = 0; i < buckets.size(); i++) {
        JsonNode b = buckets.get(i);
        if (i > 0) {
          assertThat(b.get("lower").asText())
              .as(what)
              .isEqualTo(buckets.get(i - 1).get("upper").asText());
        }
        List<String> conditions = new ArrayList<>(List.of(filter, column + " IS NOT NULL"));
        List<String> args = new ArrayList<>();
        if (i > 0) {
          conditions.add(column + " >= CAST(? AS " + type + ")");
          args.add(b.get("lower").asText());
        }
        if (i < buckets.size() - 1) {
          conditions.add(column + " < CAST(? AS " + type + ")");
          args.add(b.get("upper").asText());
        }
        assertThat(b.get("count").asLong())
            .as(what + ", bucket " + b)
            .isEqualTo(count(String.join(" AND ", conditions), args));
        total += b.get("count").asLong();
      }
      assertThat(total)
          .as(what)
          .isEqualTo(count(filter + " AND " + column + " IS NOT NULL", List.of()));
      assertThat(h.get("nulls").asLong())
          .isEqualTo(count(filter + " AND " + column + " IS NULL", List.of()));
    }
  }

  @Test
  void bucketsHaveRoundWidthsAndTimesReadAsIsoText() throws Exception {
    JsonNode day = histogram("column=day&buckets=10").get("buckets");
    assertThat(day.get(0).get("lower").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    JsonNode tz = histogram("column=tz&buckets=10").get("buckets");
    assertThat(tz.get(0).get("lower").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    JsonNode t = histogram("column=t&buckets=8");
    assertThat(t.get("kind").asText()).isEqualTo("time");
    // two hours of seconds in about 8 buckets: 15 minutes each, on the quarter hour
    assertThat(t.get("buckets").get(1).get("lower").asText()).matches(".*T\\d{2}:(00|15|30|45)");
    JsonNode i = histogram("column=i&buckets=10").get("buckets");
    BigDecimal width =
        i.get(1).get("upper").decimalValue().subtract(i.get(1).get("lower").decimalValue());
    assertThat(width).isEqualByComparingTo("20");
  }

  @Test
  void badRequestsAreUsageErrorsNamingWhy() throws Exception {
    Map<String, String> cases =
        Map.of(
            "column=grp", "grp is text; histograms are for numeric, date and time columns",
            "", "name a numeric, date or time column",
            "column=nope", "unknown column",
            "column=i&buckets=0", "buckets: a whole number from 1 to 100",
            "column=i&buckets=x", "buckets: a whole number",
            "column=i&q=x", "takes filters, not q=",
            "column=i&i=zz.1", "OPERATOR.VALUE");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ExplorerFixture.Response r =
          ExplorerFixture.fetch(
              served.base() + "/api/tables/public/measures/histogram?" + c.getKey());
      assertThat(r.status()).as(c.getKey()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).as(c.getKey()).contains(c.getValue());
    }
    JsonNode empty = histogram("column=i&id=lt.0");
    assertThat(empty.get("buckets")).isEmpty();
    JsonNode json =
        histogram("column=" + URLEncoder.encode("i", StandardCharsets.UTF_8) + "&i=eq.7");
    assertThat(json.get("buckets")).hasSize(1);
    assertThat(json.get("buckets").get(0).get("count").asLong())
        .isEqualTo(count("i = 7", List.of()));
  }

  @Test
  void pastTheBoundAHistogramIsASampleLabelledAndNearTheTruth() throws Exception {
    TargetUrl big = TestPostgres.newDatabase();
    long rows = 3 * Counts.EXACT_UP_TO;
    try (Connection c = TestPostgres.connect(big);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE events AS SELECT g AS id, g % 1000 AS v FROM generate_series(1, "
              + rows
              + ") g");
      st.execute("ALTER TABLE events ADD PRIMARY KEY (id)");
      st.execute("ANALYZE events");
    }
    try (Served e = Served.start(new ServeOptions(big, 0, "127.0.0.1", null, 5_000))) {
      JsonNode h =
          ExplorerFixture.fetch(e.base() + "/api/tables/public/events/histogram?column=v&buckets=5")
              .json();
      assertThat(h.get("estimated").asBoolean()).isTrue();
      assertThat(h.get("sample_percent").asDouble()).isLessThan(100);
      JsonNode b = h.get("buckets");
      assertThat(b.size()).isEqualTo(5);
      long total = 0;
      for (JsonNode x : b) {
        total += x.get("count").asLong();
      }
      assertThat(total).isBetween(rows * 7 / 10, rows * 13 / 10);
      // 0..999 in buckets of 200: each a fifth of the rows
      for (int i = 0; i < 5; i++) {
        assertThat(b.get(i).get("count").asLong()).isBetween(rows / 5 * 6 / 10, rows / 5 * 14 / 10);
      }
    }
  }
}
