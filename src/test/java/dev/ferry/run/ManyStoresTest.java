package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004's shape: eleven SQLite stores with the same table names, consolidated into one
 * PostgreSQL, each in its own schema, most urgent first.
 */
class ManyStoresTest {
  private static final List<String> STORES =
      List.of(
          "memory",
          "debate",
          "kg",
          "profiles",
          "ingest",
          "analytics",
          "marketplace",
          "archive",
          "sessions",
          "metrics",
          "cache");
  private static final String SCHEMA =
      """
      CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT, store TEXT);
      CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
      """;
  private static final String CONFIG =
      """
      priorities:
        memory: P0
        profiles: P0
        ingest: P0
        kg: P1
        analytics: P1
        debate: P1
        marketplace: P2
        archive: P2
        sessions.meta: P0
      schemas:
        kg: knowledge_graph
      """;

  @TempDir Path tmp;

  private List<Object> stores() {
    List<Object> files = new ArrayList<>();
    for (int s = 0; s < STORES.size(); s++) {
      StringBuilder sql = new StringBuilder(SCHEMA);
      for (int i = 0; i <= s; i++) { // store s has s + 1 items: isolation shows in the counts
        sql.append("INSERT INTO items (body, store) VALUES ('item ")
            .append(i)
            .append("', '")
            .append(STORES.get(s))
            .append("');\n");
      }
      sql.append("INSERT INTO meta VALUES ('name', '").append(STORES.get(s)).append("')");
      files.add(Sqlite.create(tmp.resolve(STORES.get(s) + ".db"), sql.toString()));
    }
    return files;
  }

  private Path config() throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, CONFIG);
    return f;
  }

  @Test
  void elevenStoresLandInTheirOwnSchemasMostUrgentFirst() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    List<Object> args = new ArrayList<>(List.of("migrate"));
    args.addAll(stores());
    args.addAll(
        List.of("--schema-per-source", "--config", config(), "--target", url.display(), "-q"));
    Ferry.Result r = Ferry.run(args.toArray());
    assertThat(r.exitCode()).as(r.all()).isZero();
    for (int s = 0; s < STORES.size(); s++) {
      String schema = STORES.get(s).equals("kg") ? "knowledge_graph" : STORES.get(s);
      assertThat(count(url, "SELECT count(*) FROM " + schema + ".items"))
          .as(schema)
          .isEqualTo(s + 1);
      assertThat(
              count(
                  url,
                  "SELECT count(*) FROM "
                      + schema
                      + ".items WHERE store <> '"
                      + STORES.get(s)
                      + "'"))
          .isZero();
    }
    List<String> order = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT target_schema FROM ferry.runs ORDER BY started_at")) {
      while (rs.next()) {
        order.add(rs.getString(1));
      }
    }
    assertThat(order).hasSize(11);
    assertThat(order.subList(0, 3)).containsExactlyInAnyOrder("memory", "profiles", "ingest");
    assertThat(order.subList(3, 9))
        .containsExactlyInAnyOrder(
            "knowledge_graph", "analytics", "debate", "sessions", "metrics", "cache");
    assertThat(order.subList(9, 11)).containsExactlyInAnyOrder("marketplace", "archive");
  }

  @Test
  void priorityP0MovesOnlyP0SourcesAndTables() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    List<Object> args = new ArrayList<>(List.of("migrate"));
    args.addAll(stores());
    args.addAll(
        List.of(
            "--schema-per-source",
            "--config",
            config(),
            "--target",
            url.display(),
            "-q",
            "--priority",
            "p0"));
    Ferry.Result r = Ferry.run(args.toArray());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_tables WHERE schemaname IN ('memory', 'profiles', 'ingest')"))
        .isEqualTo(6);
    assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'sessions'"))
        .as("a P0 table of a P1 store moves, its other tables do not")
        .isOne();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_tables WHERE tablename = 'meta' AND schemaname = 'sessions'"))
        .isOne();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM pg_namespace WHERE nspname IN ('knowledge_graph', 'archive', 'cache')"))
        .isZero();
  }

  @Test
  void priorityErrorsPointAtTheLine() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, "priorities:\n  memory: urgent\n");
    Ferry.Result r = Ferry.run("migrate", stores().get(0), "--config", f, "--dry-run");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bad.yaml:2: priority of 'memory' is 'urgent'; use P0, P1 or P2");
  }
}
