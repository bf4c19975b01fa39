package dev.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cutover's incremental verification: the pass before the freeze finds a row PostgreSQL holds
 * differently from SQLite, and the freeze re-reads only what changed since (and what differed). A
 * row corrupted in PostgreSQL behind the follower's back and never written again fails the cutover,
 * naming the table and key; a corrupted row the application rewrites afterwards is healed by the
 * follower and is not reported; the changes the follower applies meanwhile stay in the changelog
 * (pruning is held at the pass's mark) so the freeze still sees them.
 */
class CutoverVerifyTest {
  static final String SCHEMA =
      """
      CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL, note TEXT);
      CREATE TABLE kv (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
      CREATE TABLE rate (x REAL PRIMARY KEY, v TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500)
      INSERT INTO item SELECT i, 'sku-' || i, i % 50, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END FROM n;
      INSERT INTO kv VALUES ('x,y', 1, 'comma in key'), ('it''s', 2, 'quote in key'), ('7', 3, 'digits');
      INSERT INTO rate VALUES (0.5, 'half'), (1.25, 'more')
      """;

  @TempDir Path tmp;

  @Test
  void theFreezeRereadsWhatChangedAndFindsOnlyTheRowsThatStillDiffer() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("app.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    sync.start();
    sync.caughtUp(180_000); // a loaded 2-core machine copies slowly
    pg(url, "UPDATE item SET qty = -1 WHERE id IN (5, 2500)");
    pg(url, "UPDATE kv SET v = 'wrong' WHERE a = 'it''s'");
    SyncOptions o = new SyncOptions(db, url.display(), null, null, null, tmp, 0, null, null, false);
    try (PostgresTarget target = PostgresTarget.connect(url, 2);
        Connection lite = Capture.open(db, 2000)) {
      List<TablePlan> tables = InitialCopy.plan(o, Sync.read(target, o).run()).tables();
      IncrementalVerify check =
          new IncrementalVerify(lite, target, o.source(), tables, o.badValues());
      check.pass(Capture.holdPruning(lite, 60_000));
      assertThat(check.compared()).isEqualTo(4503); // rate has a REAL key: checked whole
      assertThat(check.pendingKeys()).isEqualTo(3);
      // the application rewrites two of them, and writes others, after the pass compared them
      app(
          db,
          "UPDATE item SET note = NULL WHERE id = 2500",
          "UPDATE kv SET v = NULL WHERE a = 'it''s'",
          "INSERT INTO item VALUES (9000, 'new', 1, NULL)",
          "DELETE FROM item WHERE id = 9",
          "INSERT OR REPLACE INTO item VALUES (9001, 'sku-10', 2, 'replaced')");
      sync.caughtUp(30_000);
      assertThat(check.inFreeze(new int[1])).containsExactly("item: 1 row differs (key 5)");
      Capture.releasePruning(lite);
    }

    Ferry.Result refused = sync.ferry("cutover", "--json");
    assertThat(refused.exitCode())
        .as(refused.all())
        .isEqualTo(ErrorCode.VERIFICATION_FAILED.exitCode());
    JsonNode r = new ObjectMapper().readTree(refused.out());
    assertThat(r.get("switched").asBoolean()).isFalse();
    assertThat(r.get("reason").asText()).contains("item: 1 row differs (key 5)");

    app(db, "UPDATE item SET qty = 7 WHERE id = 5"); // still takes writes; the rewrite heals it
    sync.caughtUp(30_000);
    Ferry.Result cut = sync.ferry("cutover", "--json");
    assertThat(cut.exitCode()).as(cut.all() + sync.output()).isZero();
    r = new ObjectMapper().readTree(cut.out());
    assertThat(r.get("switched").asBoolean()).isTrue();
    assertThat(r.get("verify").get("rows_compared").asLong()).isGreaterThan(4000);
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(10, TimeUnit.SECONDS)).as(sync.output()).isTrue();
  }

  private static void pg(TargetUrl url, String sql) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void app(Path db, String... writes) throws SQLException {
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 5000");
      for (String w : writes) {
        st.execute(w);
      }
    }
  }
}
