package dev.ferry.sync;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way back survives SIGKILL: after cutover an application writes to PostgreSQL at a steady rate
 * (inserts, jsonb and timestamp updates, NULL ↔ value, deletes, multi-statement transactions) while
 * {@code sync start} carries its writes into SQLite and is killed with SIGKILL at random moments
 * and started again. After the writes stop and {@code ferry fallback}, SQLite equals PostgreSQL row
 * by row: nothing lost, nothing applied twice.
 */
class ReverseKillTest {
  static final String SCHEMA =
      """
      CREATE TABLE doc (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT, updated_at DATETIME NOT NULL, note TEXT, n INTEGER NOT NULL);
      WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300)
      INSERT INTO doc SELECT i, 'doc ' || i, '{"tags": ["t' || (i % 7) || '"], "v": ' || i || '}',
        datetime('2024-05-01 10:00:00', '+' || i || ' minutes'), CASE WHEN i % 2 = 0 THEN NULL ELSE 'note ' || i END, 0 FROM k;
      """;

  @TempDir Path tmp;

  @Test
  void killedWhileFollowingPostgresBackNothingIsLostOrAppliedTwice() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("docs.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    sync.start();
    sync.caughtUp(180_000); // a loaded 2-core machine copies slowly
    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'doc' AND ((column_name = 'body' AND data_type = 'jsonb') OR (column_name ="
                    + " 'updated_at' AND data_type LIKE 'timestamp%'))"))
        .as("the plan types the values the way back must convert")
        .isEqualTo(2);
    Ferry.Result cut = sync.ferry("cutover", "--json", "--max-freeze", "30s");
    assertThat(cut.exitCode()).as(cut.all() + sync.output()).isZero();

    AtomicReference<Throwable> failed = new AtomicReference<>();
    long[] written = {0};
    Thread app =
        new Thread(
            () -> {
              try {
                written[0] = writeToPostgres(url, 10_000 + new Random(14).nextInt(1000));
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    stopApp = false;
    app.start();
    Random random = new Random(20261128);
    for (int kill = 0; kill < 3; kill++) {
      Thread.sleep(400 + random.nextInt(1200)); // mid-batch or between polls, at random
      sync.kill(); // SIGKILL
      sync.start(); // the same command again: continues from what PostgreSQL still lists
      waitForOutput(sync, "Following ", 120_000);
    }
    Thread.sleep(1000);
    stopApp = true;
    app.join(30_000);
    assertThat(failed.get()).as("the application's writes to PostgreSQL").isNull();
    assertThat(written[0]).as("writes made in PostgreSQL while killed").isGreaterThan(50);
    drained(sync, 60_000);

    Ferry.Result back = sync.ferry("fallback", "--json");
    assertThat(back.exitCode()).as(back.all() + sync.output()).isZero();
    JsonNode r = new ObjectMapper().readTree(back.out());
    assertThat(r.get("verified").asBoolean()).isTrue();
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all() + sync.output()).isZero();
    assertThat(rows(db)).as("SQLite row by row").isEqualTo(pgRows(url));

    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(15, TimeUnit.SECONDS)).as(sync.output()).isTrue();
  }

  private static volatile boolean stopApp;

  /**
   * The application on PostgreSQL: one write every ~10 ms until stopped, keys from {@code next} up
   * for inserts; returns how many writes it made.
   */
  private static long writeToPostgres(TargetUrl url, int next) throws SQLException {
    Random r = new Random(next);
    long writes = 0;
    try (Connection c = TestPostgres.connect(url)) {
      while (!stopApp) {
        int id = 1 + r.nextInt(300);
        switch (r.nextInt(6)) {
          case 0 ->
              exec(
                  c,
                  "INSERT INTO doc (id, title, body, updated_at, note, n) VALUES (?, 'new', ?::jsonb,"
                      + " now(), NULL, 0)",
                  next++,
                  "{\"new\": true, \"v\": " + r.nextInt(100) + "}");
          case 1 ->
              exec(
                  c,
                  "UPDATE doc SET body = jsonb_set(coalesce(body, '{}'), '{v}', to_jsonb(?::int)),"
                      + " updated_at = clock_timestamp(), n = n + 1 WHERE id = ?",
                  r.nextInt(1000),
                  id);
          case 2 ->
              exec( // NULL ↔ value, both ways, and a jsonb NULL
                  c,
                  "UPDATE doc SET note = CASE WHEN note IS NULL THEN 'set ' || n END, body = CASE"
                      + " WHEN body IS NULL THEN '{\"back\": 1}'::jsonb END, n = n + 1 WHERE id = ?",
                  id);
          case 3 -> exec(c, "DELETE FROM doc WHERE id = ?", id);
          case 4 -> {
            c.setAutoCommit(false); // a multi-statement transaction
            exec(c, "UPDATE doc SET n = n + 1, title = 'tx' WHERE id = ?", id);
            exec(c, "DELETE FROM doc WHERE id = ?", 1 + r.nextInt(300));
            exec(
                c,
                "INSERT INTO doc (id, title, body, updated_at, note, n) VALUES (?, 'tx', NULL,"
                    + " '2030-01-01 00:00:00+00', 'x', 0) ON CONFLICT (id) DO UPDATE SET n ="
                    + " doc.n + 1",
                1 + r.nextInt(300));
            c.commit();
            c.setAutoCommit(true);
          }
          default ->
              exec(
                  c,
                  "UPDATE doc SET updated_at = updated_at + interval '1 day', n = n + 1 WHERE id ="
                      + " ?",
                  id);
        }
        writes++;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return writes;
        }
      }
    }
    return writes;
  }

  private static void exec(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  private static void waitForOutput(SyncHarness sync, String text, long timeoutMs)
      throws Exception {
    long until = System.currentTimeMillis() + timeoutMs;
    while (!sync.output().contains(text)) {
      if (!sync.follower().isAlive()) {
        throw new AssertionError("the follower exited: " + sync.output());
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("no '" + text + "' after " + timeoutMs + " ms: " + sync.output());
      }
      Thread.sleep(50);
    }
  }

  /** Waits until every PostgreSQL write has reached SQLite (status backlog 0, way back). */
  private static void drained(SyncHarness sync, long timeoutMs) throws Exception {
    long until = System.currentTimeMillis() + timeoutMs;
    JsonNode s = sync.status();
    while (System.currentTimeMillis() < until) {
      s = sync.status();
      if (s.get("direction").asText().equals("to_sqlite") && s.get("backlog").asLong() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the way back did not drain: " + s + "\n" + sync.output());
  }

  /**
   * Every row of SQLite's doc, normalised the way the way back writes values: the JSON parsed, the
   * timestamp as an instant.
   */
  private static List<String> rows(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT id, title, body, updated_at, note, n FROM doc ORDER BY id")) {
      while (rs.next()) {
        String at = rs.getString(4);
        java.time.Instant instant =
            at.endsWith("Z")
                ? java.time.Instant.parse(at)
                : java.time.LocalDateTime.parse(at.replace(' ', 'T'))
                    .toInstant(java.time.ZoneOffset.UTC);
        out.add(row(rs.getLong(1), rs.getString(2), json(rs.getString(3)), instant, rs));
      }
    }
    return out;
  }

  private static List<String> pgRows(TargetUrl url) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, title, body::text, updated_at, note, n FROM doc ORDER BY id")) {
      while (rs.next()) {
        out.add(
            row(
                rs.getLong(1),
                rs.getString(2),
                json(rs.getString(3)),
                rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                rs));
      }
    }
    return out;
  }

  private static String row(long id, String title, String body, java.time.Instant at, ResultSet rs)
      throws SQLException {
    return id + "|" + title + "|" + body + "|" + at + "|" + rs.getString(5) + "|" + rs.getLong(6);
  }

  /**
   * The document with its keys sorted: SQLite keeps the text an application wrote, PostgreSQL's
   * jsonb its own key order, and a row the way back never touched keeps the original order.
   */
  private static String json(String text) throws Exception {
    if (text == null) {
      return null;
    }
    ObjectMapper m =
        new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return m.writeValueAsString(m.readValue(text, Object.class));
  }
}
