package dev.ferry.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * How many rows a filtered view holds, in bounded time: counted exactly up to {@link #EXACT_UP_TO}
 * rows (a scan that stops there), and beyond that the planner's estimate for the same filters
 * (EXPLAIN), never less than the rows already counted. Shared by the count and the facets.
 */
final class Counts {
  static final long EXACT_UP_TO = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row count; {@code exact} false when it is the planner's estimate. */
  record Count(long count, boolean exact) {}

  private Counts() {}

  /** The rows of {@code q}'s table that pass its filters. */
  static Count count(Connection c, RowQuery q, long exactUpTo) throws SQLException {
    String from = " FROM " + q.table.qualified() + " WHERE " + q.filters();
    long counted;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM (SELECT 1" + from + " LIMIT " + (exactUpTo + 1) + ") x")) {
      JsonOut.bind(ps, q.filterParams);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        counted = rs.getLong(1);
      }
    }
    if (counted <= exactUpTo) {
      return new Count(counted, true);
    }
    return new Count(Math.max(counted, estimate(c, "SELECT 1" + from, q.filterParams)), false);
  }

  /** The planner's row estimate for {@code sql}. */
  static long estimate(Connection c, String sql, List<Object> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
      JsonOut.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
        return plan.path("Plan Rows").asLong();
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("EXPLAIN answered something that is not JSON", e);
      }
    }
  }
}
