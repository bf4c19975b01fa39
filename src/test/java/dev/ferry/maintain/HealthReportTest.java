package dev.ferry.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The report names an index nobody scans (but not one that enforces uniqueness or serves a foreign
 * key), a foreign key whose column no index leads, and a table never analyzed; each with the SQL
 * that fixes it, which Ferry does not run. Without a config there are no rules and it still
 * maintains.
 */
class HealthReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesAnUnusedIndexAMissingForeignKeyIndexAndStaleStatistics() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE);"
              + " CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers,"
              + " note text) WITH (autovacuum_enabled = false);" // autovacuum must not analyze it
              // first
              + " CREATE INDEX orders_note_idx ON orders (note);"
              + " CREATE TABLE invoices (id int PRIMARY KEY, customer_id int REFERENCES"
              + " customers);"
              + " CREATE INDEX invoices_customer_idx ON invoices (customer_id);"
              + " INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 200) g;"
              + " INSERT INTO orders SELECT g, 1 + g % 200, 'n' FROM generate_series(1, 300) g;"
              + " SELECT pg_stat_force_next_flush();");
    }
    awaitStats(url, "orders", 300);
    Ferry.Result r = Ferry.run("maintain", "--target", url.display(), "--json");
    assertEquals(0, r.exitCode(), r.all());
    JsonNode report = JSON.readTree(r.out());
    String findings = report.get("findings").toString();
    assertTrue(
        fix(report, "unused_index", "public.orders_note_idx")
            .startsWith("DROP INDEX CONCURRENTLY \"public\".\"orders_note_idx\";"),
        findings);
    assertFalse(findings.contains("invoices_customer_idx"), "it serves a foreign key: " + findings);
    assertFalse(findings.contains("customers_email_key"), "it enforces uniqueness: " + findings);
    assertEquals(
        "CREATE INDEX CONCURRENTLY ON \"public\".\"orders\" (\"customer_id\");",
        fix(report, "missing_index", "public.orders"));
    assertFalse(findings.contains("\"object\":\"public.invoices\""), findings);
    assertEquals(
        1,
        TestPostgres.count(
            url, "SELECT count(*) FROM pg_indexes WHERE indexname =" + " 'orders_note_idx'"),
        "the report never runs its fixes");
    assertTrue(
        report.get("tables").toString().contains("\"table\":\"public.orders\",\"analyze\":true"),
        "never analyzed, 300 rows: " + report.get("tables"));
    assertEquals(
        1,
        TestPostgres.count(
            url,
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'orders' AND last_analyze"
                + " IS NOT NULL"));

    Ferry.Result text = Ferry.run("maintain", "--target", url.display());
    assertEquals(0, text.exitCode(), text.all());
    assertTrue(text.out().contains("unused index public.orders_note_idx"), text.out());
    assertTrue(text.out().contains("missing index public.orders"), text.out());
    assertTrue(text.out().contains("no rules"), text.out());
  }

  /** The fix of the finding of that kind about that object. */
  private static String fix(JsonNode report, String kind, String object) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("kind").asText().equals(kind) && f.get("object").asText().equals(object)) {
        return f.get("fix").asText();
      }
    }
    throw new AssertionError("no " + kind + " finding about " + object + ": " + report);
  }

  /** Waits (up to 10 s) until PostgreSQL's statistics count the rows another session inserted. */
  static void awaitStats(TargetUrl url, String table, long rows) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (TestPostgres.count(
              url,
              "SELECT COALESCE(max(n_live_tup), 0) FROM pg_stat_user_tables WHERE relname = '"
                  + table
                  + "'")
          >= rows) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("statistics never counted " + rows + " rows of " + table);
  }
}
