package dev.ferry.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wrong retention rule stops {@code ferry maintain} with exit 1 before anything is deleted, and
 * the message names every wrong rule (table, column, type, key, cascade) and how to fix it, even
 * when a good rule comes first; an age Ferry cannot read is refused with its line of ferry.yaml.
 */
class RetentionCheckTest {
  @TempDir Path dir;

  @Test
  void everyWrongRuleIsNamedAndNothingIsDeleted() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE old_rows (id int PRIMARY KEY, created_at timestamptz, note text);"
              + " INSERT INTO old_rows SELECT g, now() - interval '1 year', 'x' FROM"
              + " generate_series(1, 50) g;"
              + " CREATE TABLE no_key (created_at timestamptz);"
              + " CREATE TABLE epochs (id int PRIMARY KEY, ts bigint);"
              + " CREATE TABLE parents (id int PRIMARY KEY, created_at date);"
              + " CREATE TABLE children (id int PRIMARY KEY, parent int REFERENCES parents ON"
              + " DELETE CASCADE);"
              + " CREATE SCHEMA app; CREATE TABLE app.sessions (id int PRIMARY KEY, seen"
              + " timestamptz);"
              + " CREATE VIEW recent AS SELECT * FROM old_rows;");
    }
    Path config = dir.resolve("ferry.yaml");
    Files.writeString(
        config,
        """
        retention:
          old_rows: {created_at: 30 days}
          missing_table: {created_at: now}
          old_rows.x: {created_at: now}
          epochs: {ts: 90 days}
          no_key: {created_at: 1 day}
          parents: {created_at: 1 year}
          sessions: {seen: 2 weeks}
          recent: {created_at: now}
          app.sessions: {last_seen: 1 hour}
        """);
    Ferry.Result r = Ferry.run("maintain", "--target", url.display(), "--config", config);
    assertEquals(1, r.exitCode(), r.all());
    for (String expected :
        List.of(
            "8 retention rules are wrong",
            "line 3: no table public.missing_table",
            "no table old_rows.x",
            "public.epochs.ts is bigint, not a time",
            "epoch numbers are refused",
            "public.no_key has no primary key",
            "would also change rows of children",
            "no table public.sessions (did you mean app.sessions?)",
            "public.recent is not a table",
            "no column last_seen in app.sessions (its time columns: seen)",
            "Nothing was deleted")) {
      assertTrue(r.err().contains(expected), "missing '" + expected + "' in: " + r.err());
    }
    assertEquals(50, TestPostgres.count(url, "SELECT count(*) FROM old_rows"));
    assertEquals(
        0,
        TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"),
        "nothing was written, not even ferry.audit");
  }

  @Test
  void anAgeFerryCannotReadIsRefusedWithItsLine() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    for (String age : List.of("ninety days", "90", "90 fortnights", "-3 days", "{a: 1}", "\"\"")) {
      Path config = dir.resolve("bad.yaml");
      Files.writeString(
          config, "retention:\n  api_usage: {created_at: 90 days}\n  cache: {at: " + age + "}\n");
      Ferry.Result r = Ferry.run("maintain", "--target", url.display(), "--config", config);
      assertEquals(1, r.exitCode(), age + ": " + r.all());
      assertTrue(
          r.err().contains("bad.yaml:3: retention.cache") && r.err().contains("90 days"),
          age + ": " + r.err());
    }
  }

  @Test
  void agesAreReadAsPostgreSqlIntervals() {
    assertEquals("now", RetentionRule.normalizeAge(" NOW "));
    assertEquals("90 days", RetentionRule.normalizeAge("90 days"));
    assertEquals("1 day", RetentionRule.normalizeAge("1 days"));
    assertEquals("1 year 6 months", RetentionRule.normalizeAge("1 year 6 month"));
    assertEquals("12 hours", RetentionRule.normalizeAge("12hours"));
    assertEquals(null, RetentionRule.normalizeAge("90"));
    assertEquals(null, RetentionRule.normalizeAge("90 days ago"));
  }
}
