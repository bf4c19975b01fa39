package dev.ferry.sync;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lag series a running {@code ferry sync start} records in {@code ferry.sync_lag} while an
 * application writes: about one point a second (never one per change), applied counts that only
 * grow, points past the window pruned by the follower itself, and nothing left after {@code sync
 * stop}.
 */
class SyncLagTest {
  @TempDir Path tmp;

  @Test
  void aFollowerRecordsOnePointASecondPrunesTheOldAndSyncStopRemovesTheSeries() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("shop.db"), LiveMigrationTest.SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    SyncHarness sync = new SyncHarness(db, url, tmp);
    sync.start();
    sync.caughtUp(150_000); // a loaded 2-core machine copies slowly
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      // a point from before the window, as a follower running for a day would have left it
      st.execute(
          "INSERT INTO ferry.sync_lag (source, target_schema, at, direction, lag_ms, backlog,"
              + " applied) SELECT source, target_schema, now() - interval '25 hours',"
              + " 'to_postgres', 7, 7, 0 FROM ferry.sync_state");
    }
    long since = System.currentTimeMillis();
    Process app = LiveMigrationTest.writer(db, 100, 4);
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String wrote = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(wrote).contains("WRITES ");
    // and a few writes of its own: under heavy load the writer's JVM may spend its seconds starting
    try (Connection lite = dev.ferry.testing.Sqlite.open(db);
        Statement st = lite.createStatement()) {
      st.execute("PRAGMA busy_timeout = 10000");
      for (int k = 0; k < 20; k++) {
        st.execute("INSERT INTO event (item_id, what) VALUES (" + (k + 1) + ", 'lag test')");
        Thread.sleep(50);
      }
    }
    sync.caughtUp(30_000);
    Thread.sleep(1_200); // one more tick records the caught-up state
    long seconds = (System.currentTimeMillis() - since + 999) / 1000;

    List<long[]> points = new ArrayList<>(); // at (ms), lag_ms, backlog, applied
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (extract(epoch FROM at) * 1000)::bigint, lag_ms, backlog, applied,"
                    + " direction FROM ferry.sync_lag WHERE at >= to_timestamp("
                    + since / 1000.0
                    + ") ORDER BY at")) {
      while (rs.next()) {
        points.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
        assertThat(rs.getString(5)).isEqualTo("to_postgres");
      }
    }
    String output = wrote + sync.output() + points.stream().map(Arrays::toString).toList();
    assertThat(points.size()).as(output).isBetween(3, (int) seconds + 1);
    for (int k = 1; k < points.size(); k++) {
      long[] before = points.get(k - 1);
      long[] now = points.get(k);
      assertThat(now[0] - before[0]).as("at most one point a second").isGreaterThanOrEqualTo(900);
      assertThat(now[3]).as("applied never goes back").isGreaterThanOrEqualTo(before[3]);
      assertThat(now[1]).isNotNegative();
      assertThat(now[2]).isNotNegative();
    }
    assertThat(points.get(points.size() - 1)[3])
        .as("the application's writes were applied while recorded: " + output)
        .isGreaterThan(points.get(0)[3]);
    assertThat(
            count(
                url, "SELECT count(*) FROM ferry.sync_lag WHERE at < now() - interval '24 hours'"))
        .as("pruned by the follower")
        .isZero();

    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(30, TimeUnit.SECONDS)).as(sync.output()).isTrue();
    assertThat(count(url, "SELECT count(*) FROM ferry.sync_lag")).isZero();
    assertThat(count(url, "SELECT count(*) FROM ferry.sync_state")).isZero();
  }
}
