package dev.ferry.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
    execute(
        url,
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
    refused(
        url,
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
            """,
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
            "Nothing was deleted"));
    assertEquals(50, TestPostgres.count(url, "SELECT count(*) FROM old_rows"));
    assertEquals(
        0,
        TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"),
        "nothing was written, not even ferry.audit");
  }

  /**
   * Every way a DELETE on the table reaches rows the audit cannot see is refused at start: a
   * partitioned table, a parent of inheritance children, an enabled DELETE trigger (row or
   * statement level), a DELETE rule. A disabled DELETE trigger and an INSERT trigger do not stop a
   * rule, and a child table is accepted on its own.
   */
  @Test
  void aDeleteThatWouldReachRowsTheAuditCannotSeeIsRefused() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    execute(
        url,
        "CREATE TABLE log_rows (id int PRIMARY KEY, at timestamptz);"
            + " CREATE TABLE measures (id int, at timestamptz, PRIMARY KEY (id, at)) PARTITION BY"
            + " RANGE (at);"
            + " CREATE TABLE measures_2025 PARTITION OF measures FOR VALUES FROM ('2025-01-01')"
            + " TO ('2026-01-01');"
            + " CREATE TABLE events (id int PRIMARY KEY, at timestamptz);"
            + " CREATE TABLE events_old (id int PRIMARY KEY, at timestamptz) INHERITS (events);"
            + " CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO"
            + " log_rows VALUES (OLD.id, now()); RETURN OLD; END $$;"
            + " CREATE TABLE triggered (id int PRIMARY KEY, at timestamptz);"
            + " CREATE TRIGGER copy_out BEFORE DELETE ON triggered FOR EACH ROW EXECUTE FUNCTION"
            + " keep();"
            + " CREATE TABLE stated (id int PRIMARY KEY, at timestamptz);"
            + " CREATE TRIGGER after_all AFTER INSERT OR DELETE ON stated FOR EACH STATEMENT"
            + " EXECUTE FUNCTION keep();"
            + " CREATE TABLE ruled (id int PRIMARY KEY, at timestamptz);"
            + " CREATE RULE soft AS ON DELETE TO ruled DO INSTEAD UPDATE ruled SET at = NULL"
            + " WHERE id = OLD.id;"
            + " CREATE TABLE quiet (id int PRIMARY KEY, at timestamptz);"
            + " CREATE TRIGGER off BEFORE DELETE ON quiet FOR EACH ROW EXECUTE FUNCTION keep();"
            + " ALTER TABLE quiet DISABLE TRIGGER off;"
            + " CREATE FUNCTION pass() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW;"
            + " END $$;"
            + " CREATE TRIGGER on_insert BEFORE INSERT ON quiet FOR EACH ROW EXECUTE FUNCTION"
            + " pass();"
            + " INSERT INTO events_old SELECT g, now() - interval '1 year' FROM"
            + " generate_series(1, 20) g;"
            + " INSERT INTO quiet SELECT g, now() - interval '1 year' FROM generate_series(1, 20)"
            + " g;");
    Ferry.Result r =
        refused(
            url,
            """
            retention:
              quiet: {at: 1 day}
              events_old: {at: 1 day}
              measures: {at: 1 day}
              events: {at: 1 day}
              triggered: {at: 1 day}
              stated: {at: 1 day}
              ruled: {at: 1 day}
            """,
            List.of(
                "5 retention rules are wrong",
                "line 4: public.measures is partitioned (partitions: measures_2025)",
                "one rule per partition",
                "line 5: public.events has inheritance children (events_old)",
                "line 6: public.triggered has DELETE triggers (copy_out)",
                "line 7: public.stated has DELETE triggers (after_all)",
                "line 8: public.ruled has DELETE rules (soft)",
                "ferry.audit would not record",
                "Nothing was deleted"));
    for (String accepted : List.of("quiet", "events_old")) {
      assertTrue(!r.err().contains("public." + accepted + " "), accepted + ": " + r.err());
    }
    assertEquals(20, TestPostgres.count(url, "SELECT count(*) FROM events"));
    assertEquals(20, TestPostgres.count(url, "SELECT count(*) FROM quiet"));

    Path config = dir.resolve("ferry.yaml");
    Files.writeString(config, "retention:\n  quiet: {at: 1 day}\n  events_old: {at: 1 day}\n");
    Ferry.Result ok = Ferry.run("maintain", "--target", url.display(), "--config", config);
    assertEquals(0, ok.exitCode(), ok.all());
    assertEquals(0, TestPostgres.count(url, "SELECT count(*) FROM events"));
    assertEquals(0, TestPostgres.count(url, "SELECT count(*) FROM log_rows"), "no trigger fired");
  }

  private static void execute(TargetUrl url, String sql) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Runs maintain with {@code yaml}: exit 1, every expected text in its error output. */
  private Ferry.Result refused(TargetUrl url, String yaml, List<String> expected)
      throws IOException {
    Path config = dir.resolve("ferry.yaml");
    Files.writeString(config, yaml);
    Ferry.Result r = Ferry.run("maintain", "--target", url.display(), "--config", config);
    assertEquals(1, r.exitCode(), r.all());
    for (String text : expected) {
      assertTrue(r.err().contains(text), "missing '" + text + "' in: " + r.err());
    }
    return r;
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
