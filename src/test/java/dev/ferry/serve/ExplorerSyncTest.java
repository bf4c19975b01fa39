package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/sync}: each sync ferry.sync_state knows, with the lag series a real follower
 * recorded in ferry.sync_lag, point for point while it is short; a long series downsampled to at
 * most max_points points that keep its worst lag; the p50 and max over every recorded point
 * (against an independent computation); the answer as the OpenAPI document declares it; and no
 * syncs (not an error) where nothing was ever followed.
 */
class ExplorerSyncTest {
  @Test
  void eachSyncComesWithTheSeriesItsFollowerRecordedAsDeclared() throws Exception {
    LagFixture lag = LagFixture.get();
    JsonNode body = ExplorerFixture.fetch(lag.base + "/api/sync").json();
    JsonNode doc = ExplorerFixture.fetch(lag.base + "/api/openapi.json").json();
    JsonNode op = doc.at("/paths/~1api~1sync/get");
    assertThat(op.get("operationId").asText()).isEqualTo("listSyncs");
    List<String> problems = new ArrayList<>();
    ExplorerOpenApiTest.check(
        doc, op.at("/responses/200/content/application~1json/schema"), body, "sync", problems);
    assertThat(problems).isEmpty();

    assertThat(body.get("syncs")).hasSize(1);
    JsonNode sync = body.get("syncs").get(0);
    List<long[]> recorded = new ArrayList<>(); // lag_ms, backlog, applied
    try (Connection c = TestPostgres.connect(lag.url);
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT source, target_schema, state, applied FROM ferry.sync_state")) {
        rs.next();
        assertThat(sync.get("source").asText()).isEqualTo(rs.getString(1));
        assertThat(sync.get("target_schema").asText()).isEqualTo(rs.getString(2));
        assertThat(sync.get("state").asText()).isEqualTo(rs.getString(3)).isEqualTo("following");
        assertThat(sync.get("applied").asLong()).isEqualTo(rs.getLong(4));
      }
      try (ResultSet rs =
          st.executeQuery("SELECT lag_ms, backlog, applied FROM ferry.sync_lag ORDER BY at")) {
        while (rs.next()) {
          recorded.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(LagFixture.POINTS);
    JsonNode series = sync.get("series");
    assertThat(series).hasSize(recorded.size());
    for (int k = 0; k < recorded.size(); k++) {
      JsonNode p = series.get(k);
      assertThat(
              new long[] {
                p.get("lag_ms").asLong(), p.get("backlog").asLong(), p.get("applied").asLong()
              })
          .as("point " + k)
          .containsExactly(recorded.get(k));
      assertThat(p.get("direction").asText()).isEqualTo("to_postgres");
    }
    assertThat(sync.get("downsampled").asBoolean()).isFalse();
    assertThat(sync.get("points_recorded").asLong()).isEqualTo(recorded.size());
    List<Long> lags = recorded.stream().map(r -> r[0]).toList();
    assertThat(sync.get("lag_p50_ms").asLong()).isEqualTo(lowerMedian(lags));
    assertThat(sync.get("lag_max_ms").asLong()).isEqualTo(lags.stream().max(Long::compare).get());
  }

  @Test
  void aLongSeriesIsDownsampledToAtMostMaxPointsKeepingItsWorstLag() throws Exception {
    LagFixture lag = LagFixture.get();
    Random random = new Random(15);
    for (int n : new int[] {SyncHandler.POINTS + 1, 1000 + random.nextInt(2000)}) {
      int spikeAt = random.nextInt(n);
      long spike = 1_000_000L + random.nextInt(1000);
      List<Long> lags = new ArrayList<>();
      try (Connection c = TestPostgres.connect(lag.url)) {
        try (Statement st = c.createStatement()) {
          st.execute(
              "INSERT INTO ferry.sync_state (source, target_schema, state, applied_seq, run_id,"
                  + " started_at) VALUES ('long.db', 'elsewhere', 'following', 0,"
                  + " gen_random_uuid(), '2000-01-01')");
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ferry.sync_lag (source, target_schema, at, direction, lag_ms, backlog,"
                    + " applied) VALUES ('long.db', 'elsewhere', now() - make_interval(secs =>"
                    + " ?), 'to_postgres', ?, 0, ?)")) {
          for (int i = 0; i < n; i++) {
            long v = i == spikeAt ? spike : random.nextInt(500);
            lags.add(v);
            ps.setInt(1, n - i);
            ps.setLong(2, v);
            ps.setLong(3, i);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      try {
        JsonNode body = ExplorerFixture.fetch(lag.base + "/api/sync").json();
        JsonNode sync = body.get("syncs").get(0); // started first
        assertThat(sync.get("source").asText()).isEqualTo("long.db");
        JsonNode series = sync.get("series");
        assertThat(sync.get("points_recorded").asLong()).isEqualTo(n);
        assertThat(sync.get("downsampled").asBoolean()).isTrue();
        assertThat(series.size()).isBetween(SyncHandler.POINTS / 2, body.get("max_points").asInt());
        long max = 0;
        String previous = "";
        for (JsonNode p : series) {
          max = Math.max(max, p.get("lag_ms").asLong());
          assertThat(p.get("at").asText()).isGreaterThan(previous);
          previous = p.get("at").asText();
        }
        assertThat(max).as("the spike survives downsampling").isEqualTo(spike);
        assertThat(series.get(series.size() - 1).get("applied").asLong()).isEqualTo(n - 1);
        assertThat(sync.get("lag_max_ms").asLong()).isEqualTo(spike);
        assertThat(sync.get("lag_p50_ms").asLong()).isEqualTo(lowerMedian(lags));
      } finally {
        try (Connection c = TestPostgres.connect(lag.url);
            Statement st = c.createStatement()) {
          st.execute("DELETE FROM ferry.sync_lag WHERE source = 'long.db'");
          st.execute("DELETE FROM ferry.sync_state WHERE source = 'long.db'");
        }
      }
    }
  }

  @Test
  void aDatabaseNeverFollowedHasNoSyncs() throws Exception {
    ExplorerFixture.Response r = ExplorerFixture.get().get("/api/sync");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("syncs")).isEmpty();
  }

  /** PostgreSQL's percentile_disc(0.5): the smallest value with at least half at or below it. */
  private static long lowerMedian(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() + 1) / 2 - 1);
  }
}
