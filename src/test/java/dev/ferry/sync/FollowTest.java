package dev.ferry.sync;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following, trap by trap: each kind of write that row triggers are known to get wrong reaches
 * PostgreSQL, the result is equal row by row (ferry verify --verify full against the live file),
 * and sync stop leaves both sides without a trace.
 */
class FollowTest {
  static final String SCHEMA =
      """
      CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, score REAL);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, body TEXT);
      CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);
      CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT);
      CREATE TABLE kv (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
      CREATE INDEX child_parent ON child(parent_id);
      INSERT INTO parent VALUES (1, 'one', NULL, 1.5), (2, 'two', 'has a note', NULL), (3, 'three', NULL, 3.0);
      INSERT INTO child VALUES (1, 1, 'c1'), (2, 2, 'c2'), (3, 3, 'c3'), (4, 3, 'c4');
      INSERT INTO tag VALUES (1, 'red'), (2, 'green'), (3, 'blue');
      INSERT INTO log (msg) VALUES ('first'), ('second');
      INSERT INTO kv VALUES ('x,y', 1, 'comma in key'), ('it''s', 2, 'quote in key')
      """;

  @TempDir Path tmp;

  @Test
  void everyTrapArrivesEqualAndStopLeavesNoTrace() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("app.db"), SCHEMA);
    String before = SyncHarness.schema(db);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    sync.start("--metrics-port", Integer.toString(port));
    sync.caughtUp(180_000); // a loaded 2-core machine copies slowly
    try (Connection app = Sqlite.open(db);
        Statement st = app.createStatement()) {
      st.execute("PRAGMA foreign_keys = ON");
      st.execute("PRAGMA busy_timeout = 5000");
      st.execute("UPDATE parent SET note = 'now set' WHERE id = 1"); // NULL → value
      st.execute("UPDATE parent SET note = NULL WHERE id = 2"); // value → NULL
      st.execute("UPDATE parent SET score = NULL, note = 'x' WHERE id = 3");
      st.execute("INSERT OR REPLACE INTO tag (id, label) VALUES (9, 'red')"); // deletes tag 1
      st.execute("UPDATE tag SET id = 20 WHERE id = 2"); // primary key change
      st.execute("DELETE FROM log"); // no WHERE
      st.execute("INSERT INTO log (msg) VALUES ('after truncate')");
      st.execute("DELETE FROM parent WHERE id = 3"); // cascades to children 3 and 4
      st.execute("UPDATE kv SET b = 5, v = NULL WHERE a = 'x,y'"); // composite key change
      app.setAutoCommit(false); // one batch: REPLACE deletes tag 3, then its new holder goes
      st.execute("INSERT OR REPLACE INTO tag (id, label) VALUES (40, 'blue')");
      st.execute("DELETE FROM tag WHERE id = 40");
      app.commit();
      st.execute("UPDATE OR REPLACE tag SET label = 'green' WHERE id = 9"); // deletes tag 20
      st.execute("UPDATE tag SET label = 'red' WHERE id = 9"); // the new holder moves on
      app.commit();
      app.setAutoCommit(false); // a multi-statement transaction
      st.execute("INSERT INTO parent VALUES (10, 'O''Brien', '{\"a\": 1}', 2.25)");
      st.execute("INSERT INTO child VALUES (10, 10, 'new child')");
      st.execute("UPDATE child SET body = NULL WHERE id = 1");
      app.commit();
    }
    sync.caughtUp(30_000);
    String metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("ferry_sync_lag_seconds")
        .contains("ferry_sync_backlog")
        .contains("ferry_sync_errors_total")
        .containsPattern("ferry_sync_applied_total(\\{[^}]*\\})? [1-9]");
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all() + sync.output()).isZero();
    assertThat(count(url, "SELECT count(*) FROM tag WHERE label = 'red' AND id = 9")).isOne();
    assertThat(count(url, "SELECT count(*) FROM tag WHERE id IN (1, 2, 3, 20, 40)")).isZero();
    assertThat(count(url, "SELECT count(*) FROM child WHERE parent_id = 3")).isZero();
    assertThat(count(url, "SELECT count(*) FROM parent WHERE id = 2 AND note IS NULL")).isOne();
    assertThat(count(url, "SELECT count(*) FROM log")).isOne();
    assertThat(count(url, "SELECT count(*) FROM kv WHERE a = 'x,y' AND b = 5 AND v IS NULL"))
        .isOne();

    // cutovers that must switch nothing: over the freeze budget, and the user's --exec failing
    Ferry.Result over = sync.ferry("cutover", "--json", "--max-freeze", "1ms");
    assertThat(over.exitCode()).as(over.all()).isNotZero();
    assertThat(over.out()).contains("\"switched\":false").contains("max-freeze");
    Ferry.Result failed =
        sync.ferry("cutover", "--json", "--max-freeze", "60s", "--exec", "exit 3");
    assertThat(failed.exitCode()).as(failed.all()).isNotZero();
    assertThat(failed.all()).contains("--exec exited 3");
    try (Connection app = Sqlite.open(db);
        Statement st = app.createStatement()) {
      st.execute("INSERT INTO log (msg) VALUES ('still writable')"); // nothing was switched
      st.execute("CREATE TABLE extra (x INTEGER PRIMARY KEY)"); // DDL while followed
    }
    assertThat(sync.follower().waitFor(30, TimeUnit.SECONDS)).as(sync.output()).isTrue();
    assertThat(sync.follower().exitValue()).as(sync.output()).isNotZero();
    assertThat(sync.output()).contains("schema changed while following").contains("sync stop");
    try (Connection app = Sqlite.open(db);
        Statement st = app.createStatement()) {
      st.execute("DROP TABLE extra");
    }

    Ferry.Result stop = sync.ferry("sync stop");
    assertThat(stop.exitCode()).as(stop.all()).isZero();
    assertThat(SyncHarness.schema(db)).isEqualTo(before);
    assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry_sync'"))
        .isZero();
    assertThat(count(url, "SELECT count(*) FROM ferry.sync_state")).isZero();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE target_schema = 'ferry_sync'"))
        .isZero();
    assertThat(sync.status().get("state").asText()).isEqualTo("stopped");
  }
}
