package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * {@code GET /api/sync}: the live syncs {@code ferry sync start} recorded in {@code
 * ferry.sync_state}, each with its lag series from {@code ferry.sync_lag} (one point a second over
 * at most 24 hours, written by the follower). A long series is downsampled to at most {@link
 * #POINTS} points, each the worst (largest) lag and backlog of its span, so a spike is never
 * averaged away; the p50 and max lag are over every recorded point. Read through SQL only: the
 * serve package does not import sync.
 */
final class SyncHandler {
  static final int POINTS = 300;

  private static final String SYNCS =
      "SELECT source, target_schema, state, direction, applied, started_at, updated_at,"
          + " switched_at FROM ferry.sync_state ORDER BY started_at, source, target_schema";

  private static final String SUMMARY =
      "SELECT count(*), percentile_disc(0.5) WITHIN GROUP (ORDER BY lag_ms), max(lag_ms)"
          + " FROM ferry.sync_lag WHERE source = ? AND target_schema = ?";

  /** Point i of n falls in span i * POINTS / max(n, POINTS): one span per point when n ≤ POINTS. */
  private static final String SERIES =
      "WITH s AS (SELECT at, direction, lag_ms, backlog, applied, row_number() OVER (ORDER BY at)"
          + " - 1 AS i, count(*) OVER () AS n FROM ferry.sync_lag WHERE source = ? AND"
          + " target_schema = ?) SELECT to_char(max(at) AT TIME ZONE 'UTC',"
          + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), max(direction), max(lag_ms), max(backlog),"
          + " max(applied) FROM s GROUP BY i * "
          + POINTS
          + " / greatest(n, "
          + POINTS
          + ") ORDER BY max(at)";

  private final DataSource db;
  private final JsonOut out;

  SyncHandler(DataSource db, JsonOut out) {
    this.db = db;
    this.out = out;
  }

  void syncs(Context ctx) throws SQLException, IOException {
    out.respond(
        ctx,
        "evidence",
        g -> {
          try (Connection c = db.getConnection()) {
            g.writeStartObject();
            g.writeNumberField("max_points", POINTS);
            g.writeArrayFieldStart("syncs");
            if (exists(c, "ferry.sync_state")) {
              boolean series = exists(c, "ferry.sync_lag");
              try (Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery(SYNCS)) {
                while (rs.next()) {
                  sync(c, g, rs, series);
                }
              }
            }
            g.writeEndArray();
            g.writeEndObject();
          }
        });
  }

  private static void sync(Connection c, JsonGenerator g, ResultSet rs, boolean series)
      throws SQLException, IOException {
    String source = rs.getString(1);
    String schema = rs.getString(2);
    g.writeStartObject();
    g.writeStringField("source", source);
    g.writeStringField("target_schema", schema);
    g.writeStringField("state", rs.getString(3));
    g.writeStringField("direction", rs.getString(4));
    g.writeNumberField("applied", rs.getLong(5));
    g.writeStringField("started_at", rs.getString(6));
    g.writeStringField("updated_at", rs.getString(7));
    g.writeStringField("switched_at", rs.getString(8));
    long recorded = 0;
    if (series) {
      try (PreparedStatement ps = c.prepareStatement(SUMMARY)) {
        ps.setString(1, source);
        ps.setString(2, schema);
        try (ResultSet s = ps.executeQuery()) {
          s.next();
          recorded = s.getLong(1);
          g.writeNumberField("points_recorded", recorded);
          nullableLong(g, "lag_p50_ms", s, 2);
          nullableLong(g, "lag_max_ms", s, 3);
        }
      }
    } else {
      g.writeNumberField("points_recorded", 0);
      g.writeNullField("lag_p50_ms");
      g.writeNullField("lag_max_ms");
    }
    g.writeBooleanField("downsampled", recorded > POINTS);
    g.writeArrayFieldStart("series");
    if (series) {
      points(c, g, source, schema);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void points(Connection c, JsonGenerator g, String source, String schema)
      throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement(SERIES)) {
      ps.setString(1, source);
      ps.setString(2, schema);
      try (ResultSet s = ps.executeQuery()) {
        while (s.next()) {
          g.writeStartObject();
          g.writeStringField("at", s.getString(1));
          g.writeStringField("direction", s.getString(2));
          g.writeNumberField("lag_ms", s.getLong(3));
          g.writeNumberField("backlog", s.getLong(4));
          g.writeNumberField("applied", s.getLong(5));
          g.writeEndObject();
        }
      }
    }
  }

  private static void nullableLong(JsonGenerator g, String field, ResultSet rs, int column)
      throws SQLException, IOException {
    long v = rs.getLong(column);
    if (rs.wasNull()) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
