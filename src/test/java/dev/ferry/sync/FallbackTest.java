package dev.ferry.sync;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way back as a user runs it: after cutover, writes made in PostgreSQL reach the SQLite file
 * within about a second; {@code ferry fallback} leaves both sides equal, SQLite takes the
 * application's writes again (with keys past PostgreSQL's), PostgreSQL refuses them naming the
 * file, and following goes on; {@code sync stop} then leaves no trace on either side (SQLite's
 * schema and PostgreSQL's catalog as they were before the sync's objects came).
 */
class FallbackTest {
  static final String SCHEMA =
      """
      CREATE TABLE account (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, active BOOLEAN NOT NULL, note TEXT, score REAL);
      INSERT INTO account (name, active, note, score) VALUES ('ann', 1, NULL, 1.5), ('bob', 0, 'b', NULL), ('cy', 1, 'c', 3.25);
      """;

  @TempDir Path tmp;

  @Test
  void writesFlowBackAndFallbackLeavesBothEqualThenStopLeavesNoTrace() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("accounts.db"), SCHEMA);
    String sqliteBefore = SyncHarness.schema(db);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    sync.start();
    sync.caughtUp(180_000); // a loaded 2-core machine copies slowly
    String catalogBefore = catalog(url);

    Ferry.Result cut = sync.ferry("cutover", "--json");
    assertThat(cut.exitCode()).as(cut.all() + sync.output()).isZero();
    assertThat(sync.status().get("direction").asText()).isEqualTo("to_sqlite");

    // PostgreSQL writes: insert, NULL ↔ value, delete, a key change; each reaches SQLite
    long t = System.currentTimeMillis();
    try (Connection pg = TestPostgres.connect(url);
        Statement st = pg.createStatement()) {
      st.execute("INSERT INTO account (name, active, note, score) VALUES ('dee', true, NULL, 9)");
      st.execute("UPDATE account SET note = 'now set', score = NULL WHERE name = 'ann'");
      st.execute("UPDATE account SET note = NULL WHERE name = 'bob'");
      st.execute("DELETE FROM account WHERE name = 'cy'");
    }
    long seen = waitFor(db, "SELECT count(*) FROM account WHERE name = 'dee'", 1, 15_000);
    System.out.println(
        "PostgreSQL → SQLite: a write visible in SQLite after " + (seen - t) + " ms");
    assertThat(seen - t).as("PostgreSQL's write reaches SQLite within seconds").isLessThan(5_000);
    assertThatThrownBy(() -> sqlite(db, "INSERT INTO account (name, active) VALUES ('late', 1)"))
        .hasMessageContaining("moved to PostgreSQL");

    Ferry.Result back = sync.ferry("fallback", "--json");
    assertThat(back.exitCode()).as(back.all() + sync.output()).isZero();
    JsonNode r = new ObjectMapper().readTree(back.out());
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertThat(r.get("switched").asBoolean()).isTrue();
    assertThat(r.get("freeze_ms").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(sqliteCount(db, "SELECT count(*) FROM account WHERE name = 'cy'")).isZero();
    assertThat(
            sqliteCount(
                db,
                "SELECT count(*) FROM account WHERE name = 'ann' AND note = 'now set' AND score IS NULL"))
        .isOne();
    assertThat(sqliteCount(db, "SELECT count(*) FROM account WHERE name = 'bob' AND note IS NULL"))
        .isOne();
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all()).isZero();

    // the application writes to SQLite again; PostgreSQL refuses naming the file
    sqlite(db, "INSERT INTO account (name, active) VALUES ('eve', 1)");
    assertThat(sqliteCount(db, "SELECT min(id) FROM account WHERE name = 'eve'"))
        .as("keys continue past PostgreSQL's")
        .isGreaterThan(count(url, "SELECT max(id) FROM account WHERE name = 'dee'"));
    try (Connection pg = TestPostgres.connect(url);
        Statement st = pg.createStatement()) {
      assertThatThrownBy(() -> st.execute("DELETE FROM account"))
          .hasMessageContaining("moved back to SQLite")
          .hasMessageContaining("accounts.db");
    }
    sync.caughtUp(30_000); // following SQLite into PostgreSQL again
    assertThat(count(url, "SELECT count(*) FROM account WHERE name = 'eve'")).isOne();

    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(15, TimeUnit.SECONDS)).as(sync.output()).isTrue();
    assertThat(SyncHarness.schema(db)).isEqualTo(sqliteBefore);
    assertThat(catalog(url)).isEqualTo(catalogBefore);
    assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry_sync'"))
        .isZero();
  }

  /** The objects a sync can leave in PostgreSQL: schemas, tables, triggers, functions. */
  static String catalog(TargetUrl url) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND"
                    + " nspname NOT IN ('information_schema', 'ferry', 'ferry_sync') UNION ALL"
                    + " SELECT 'relation ' || c.oid::regclass::text || ' ' || c.relkind::text FROM"
                    + " pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname"
                    + " NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'ferry', 'ferry_sync') UNION"
                    + " ALL"
                    + " SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM"
                    + " pg_trigger WHERE NOT tgisinternal UNION ALL SELECT 'function ' ||"
                    + " p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid ="
                    + " p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " ORDER BY 1")) {
      while (rs.next()) {
        b.append(rs.getString(1)).append('\n');
      }
    }
    return b.toString();
  }

  private static long waitFor(Path db, String sql, long expected, long timeoutMs) throws Exception {
    long until = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < until) {
      if (sqliteCount(db, sql) == expected) {
        return System.currentTimeMillis();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not in SQLite after " + timeoutMs + " ms: " + sql);
  }

  private static void sqlite(Path db, String sql) throws SQLException {
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 5000");
      st.execute(sql);
    }
  }

  private static long sqliteCount(Path db, String sql) throws SQLException {
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
