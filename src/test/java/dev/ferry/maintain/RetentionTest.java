package dev.ferry.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry maintain}'s retention against generated tables: rows of random ages (never within a
 * day of the cutoff, so the oracle and the server cannot disagree about the clock), some NULL,
 * under every accepted column type and a composite key. The oracle, computed in Java from the
 * generated ages, says which keys must be gone; the server must hold exactly the others; the
 * deletes came in batches no bigger than asked, each in ferry.audit, and undoing them brings every
 * table back to what it was, value for value.
 */
class RetentionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int AGE_DAYS = 90;
  private static final int BATCH = 97;

  @TempDir Path dir;

  /** One generated table: its name, rule and the keys the oracle expects deleted. */
  private record Generated(String table, String rule, java.util.Set<String> expired, int rows) {}

  @Test
  void deletesExactlyTheExpiredRowsInAuditedBatchesThatUndoPutsBack() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    Random random = new Random(15);
    List<Generated> tables = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url)) {
      tables.add(aged(c, random, "api_usage", "timestamptz", false, 2_400));
      tables.add(aged(c, random, "events_local", "timestamp", true, 300));
      tables.add(aged(c, random, "daily_totals", "date", false, 250));
      tables.add(expiring(c, random, "translation_cache", 400));
    }
    Path config = yaml(tables);
    String before = contents(url, tables);

    Ferry.Result r =
        Ferry.run(
            "maintain",
            "--target",
            url.display(),
            "--config",
            config,
            "--batch-rows",
            BATCH,
            "--json");
    assertEquals(0, r.exitCode(), r.all());
    JsonNode report = JSON.readTree(r.out());

    List<Long> audits = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      Generated g = tables.get(i);
      JsonNode rule = report.get("retention").get(i);
      assertEquals("public." + g.table(), rule.get("table").asText());
      assertEquals(g.expired().size(), rule.get("rows").asLong(), g.table() + ": " + rule);
      int batches = (g.expired().size() + BATCH - 1) / BATCH;
      assertEquals(batches, rule.get("batches").asInt(), g.table());
      assertEquals(batches, rule.get("audit_ids").size(), g.table());
      rule.get("audit_ids").forEach(id -> audits.add(id.asLong()));
      assertEquals(
          g.rows() - g.expired().size(),
          TestPostgres.count(url, "SELECT count(*) FROM " + g.table()),
          g.table());
      assertEquals(
          0,
          TestPostgres.count(
              url,
              "SELECT count(*) FROM "
                  + g.table()
                  + " WHERE "
                  + keyText(g.table())
                  + " IN ("
                  + quoted(g.expired())
                  + ")"),
          g.table() + ": an expired row is still there");
    }
    assertEquals(
        audits.size(),
        TestPostgres.count(
            url,
            "SELECT count(*) FROM ferry.audit WHERE who = 'maintain' AND action = 'delete' AND"
                + " row_count BETWEEN 1 AND "
                + BATCH),
        "one audit entry per batch, none bigger than the batch");
    assertEquals(
        report.get("rows_deleted").asLong(),
        TestPostgres.count(url, "SELECT count(*) FROM ferry.audit_rows"),
        "every deleted row is recorded with its values");
    JsonNode apiUsage = table(report, "public.api_usage");
    assertTrue(apiUsage.get("analyze").asBoolean() && apiUsage.get("vacuum").asBoolean(), r.out());
    assertEquals(
        1,
        TestPostgres.count(
            url,
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'api_usage' AND last_vacuum"
                + " IS NOT NULL AND last_analyze IS NOT NULL"),
        "api_usage lost over 1,000 rows, half of it: analyzed and vacuumed");

    Ferry.Result undo =
        Ferry.run(
            "maintain",
            "--target",
            url.display(),
            "--undo",
            String.join(",", audits.stream().map(String::valueOf).toList()));
    assertEquals(0, undo.exitCode(), undo.all());
    assertEquals(before, contents(url, tables), "the undo put back every row, value for value");
  }

  @Test
  void aDryRunCountsAndChangesNothing() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    List<Generated> tables = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url)) {
      tables.add(aged(c, new Random(7), "api_usage", "timestamptz", false, 500));
    }
    String before = contents(url, tables);
    Ferry.Result r =
        Ferry.run(
            "maintain",
            "--target",
            url.display(),
            "--config",
            yaml(tables),
            "--dry-run",
            "--json",
            "--batch-rows",
            100);
    assertEquals(0, r.exitCode(), r.all());
    JsonNode rule = JSON.readTree(r.out()).get("retention").get(0);
    assertEquals(tables.get(0).expired().size(), rule.get("rows").asLong(), r.out());
    assertEquals((tables.get(0).expired().size() + 99) / 100, rule.get("batches").asInt());
    assertEquals(before, contents(url, tables));
    assertEquals(
        0,
        TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"),
        "a dry run creates nothing, not even ferry.audit");
    assertEquals(
        0,
        TestPostgres.count(
            url,
            "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL OR"
                + " last_vacuum IS NOT NULL"),
        "a dry run analyzes and vacuums nothing");
  }

  /**
   * A table keyed by id (or by (id, part) when {@code composite}) whose {@code created_at} of
   * {@code type} is 0 to 200 days old, never within a day of {@value #AGE_DAYS}; one row in ten
   * NULL (never deleted).
   */
  private static Generated aged(
      Connection c, Random random, String table, String type, boolean composite, int rows)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + table
              + " (id bigint, part int, created_at "
              + type
              + ", payload text, PRIMARY KEY ("
              + (composite ? "id, part" : "id")
              + "))");
    }
    TreeSet<String> expired = new TreeSet<>();
    Instant now = Instant.now();
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, CAST(? AS " + type + "), ?)")) {
      for (int i = 0; i < rows; i++) {
        int days;
        do {
          days = random.nextInt(200);
        } while (Math.abs(days - AGE_DAYS) <= 1);
        boolean isNull = random.nextInt(10) == 0;
        Instant at = now.minus(Duration.ofDays(days)).minusSeconds(random.nextInt(3_600));
        String value =
            isNull
                ? null
                : type.equals("date")
                    ? LocalDate.ofInstant(at, ZoneOffset.UTC).toString()
                    : type.equals("timestamp")
                        ? at.atOffset(ZoneOffset.UTC).toLocalDateTime().toString()
                        : at.toString();
        int part = composite ? random.nextInt(3) : 0;
        ps.setLong(1, i);
        ps.setInt(2, part);
        ps.setString(3, value);
        ps.setString(4, "row " + i + " \u00e9\u2603 " + random.nextLong());
        ps.addBatch();
        if (!isNull && days > AGE_DAYS) {
          expired.add(key(i, part, composite));
        }
      }
      ps.executeBatch();
    }
    return new Generated(table, "{created_at: " + AGE_DAYS + " days}", expired, rows);
  }

  /** A cache whose expires_at lies 1 hour to 100 days in the past or the future. */
  private static Generated expiring(Connection c, Random random, String table, int rows)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + table
              + " (id bigint PRIMARY KEY, part int, expires_at timestamptz, translated text)");
    }
    TreeSet<String> expired = new TreeSet<>();
    Instant now = Instant.now();
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " VALUES (?, 0, ?, ?)")) {
      for (int i = 0; i < rows; i++) {
        long seconds = 3_600 + (long) random.nextInt(100 * 86_400);
        boolean past = random.nextBoolean();
        ps.setLong(1, i);
        ps.setObject(
            2,
            OffsetDateTime.ofInstant(
                past ? now.minusSeconds(seconds) : now.plusSeconds(seconds), ZoneOffset.UTC));
        ps.setString(3, "t" + i);
        ps.addBatch();
        if (past) {
          expired.add(key(i, 0, false));
        }
      }
      ps.executeBatch();
    }
    return new Generated(table, "{expires_at: now}", expired, rows);
  }

  private static String key(long id, int part, boolean composite) {
    return composite ? id + "/" + part : Long.toString(id);
  }

  private static String keyText(String table) {
    return table.equals("events_local") ? "id::text || '/' || part::text" : "id::text";
  }

  private static String quoted(java.util.Set<String> keys) {
    return keys.isEmpty()
        ? "NULL"
        : String.join(", ", keys.stream().map(k -> "'" + k + "'").toList());
  }

  private Path yaml(List<Generated> tables) throws IOException {
    StringBuilder y = new StringBuilder("retention:\n");
    for (Generated g : tables) {
      y.append("  ").append(g.table()).append(": ").append(g.rule()).append('\n');
    }
    Path file = dir.resolve("ferry.yaml");
    Files.writeString(file, y);
    return file;
  }

  /** Every table's rows as jsonb text, in key order: equal means equal value for value. */
  private static String contents(TargetUrl url, List<Generated> tables) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (Generated g : tables) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT to_jsonb(t)::text FROM " + g.table() + " t ORDER BY id, part")) {
          while (rs.next()) {
            out.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private static JsonNode table(JsonNode report, String name) {
    for (JsonNode t : report.get("tables")) {
      if (t.get("table").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError(name + " not in " + report.get("tables"));
  }
}
