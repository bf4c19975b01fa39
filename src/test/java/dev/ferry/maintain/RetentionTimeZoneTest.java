package dev.ferry.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retention rule means what {@code column < now() - interval 'AGE'} means in a session of the
 * target database, whose TimeZone (set with ALTER DATABASE) is hours away from the JVM's: a
 * timestamp without time zone is a wall time of that zone and a date is that zone's day. The oracle
 * is that very query, run by PostgreSQL in a session of that zone before the run; rows are
 * generated around the cutoff but never within 30 minutes of it, so the clock moving between the
 * oracle and the run cannot matter. Reading the columns as UTC (the old rule) would disagree with
 * the oracle, which the test checks too, so it can tell the two apart.
 */
class RetentionTimeZoneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXPIRED = "%s < now() - interval '90 days'";

  @TempDir Path dir;

  @Test
  void theCutoffIsPostgreSqlsOwnInTheDatabasesTimeZone() throws Exception {
    String zone = zoneFarFromMidnight();
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = ''"
              + zone
              + "''', current_database()); END $$");
    }
    List<String> tables = List.of("wall", "days", "instants");
    List<String> types = List.of("timestamp", "date", "timestamptz");
    List<String> expected;
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = '" + zone + "'"); // what a libpq session of this database gets
      st.execute("SELECT setseed(0.15)");
      for (int i = 0; i < tables.size(); i++) {
        st.execute(
            "CREATE TABLE "
                + tables.get(i)
                + " (id int PRIMARY KEY, at "
                + types.get(i)
                + "); INSERT INTO "
                + tables.get(i)
                + " SELECT g, CASE WHEN g % 25 = 0 THEN NULL ELSE CAST(now() - interval '90 days'"
                + " + (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) * (interval '30 minutes' +"
                + " random() * interval '3 days') AS "
                + types.get(i)
                + ") END FROM generate_series(1, 500) g");
      }
      expected = tables.stream().map(t -> ids(st, t, EXPIRED.formatted("at"))).toList();
      assertNotEquals(
          ids(st, "wall", "at < (now() - interval '90 days') AT TIME ZONE 'UTC'"),
          expected.get(0),
          "reading the wall times as UTC would delete other rows");
      assertNotEquals(
          ids(st, "days", "at < CAST((now() - interval '90 days') AT TIME ZONE 'UTC' AS date)"),
          expected.get(1),
          "the UTC day, cutoff day kept, would delete other rows");
    }
    Path config = dir.resolve("ferry.yaml");
    Files.writeString(
        config,
        "retention:\n  wall: {at: 90 days}\n  days: {at: 90 days}\n  instants: {at: 90 days}\n");
    Ferry.Result r = Ferry.run("maintain", "--target", url.display(), "--config", config, "--json");
    assertEquals(0, r.exitCode(), r.all());
    JsonNode report = JSON.readTree(r.out());
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (int i = 0; i < tables.size(); i++) {
        String t = tables.get(i);
        assertEquals(zone, report.get("retention").get(i).get("time_zone").asText(), t);
        assertEquals(
            expected.get(i).split(",").length,
            report.get("retention").get(i).get("rows").asLong(),
            t + ": " + r.out());
        assertEquals("", ids(st, t, "id IN (" + expected.get(i) + ")"), t + ": expired rows left");
        assertEquals(
            500 - expected.get(i).split(",").length,
            TestPostgres.count(url, "SELECT count(*) FROM " + t),
            t + ": only the expired rows go");
      }
    }
  }

  /** The ids of {@code table} where {@code condition} holds, in order, comma-separated. */
  private static String ids(Statement st, String table, String condition) {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT COALESCE(string_agg(id::text, ',' ORDER BY id), '') FROM "
                + table
                + " WHERE "
                + condition)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A zone 11 or 14 hours from UTC, without daylight saving, where the cutoff (90 days ago) is at
   * least 25 minutes from a midnight (their midnights are an hour apart), so the day of the cutoff
   * cannot change during the test.
   */
  private static String zoneFarFromMidnight() {
    for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
      LocalTime t = ZonedDateTime.now(ZoneId.of(zone)).minusDays(90).toLocalTime();
      if (t.isAfter(LocalTime.of(0, 25)) && t.isBefore(LocalTime.of(23, 35))) {
        return zone;
      }
    }
    throw new IllegalStateException("both zones are near midnight");
  }
}
