package dev.ferry.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One captured write: the table, the operation (I, U, D), the row's key as a list of SQL literals,
 * the old key when an UPDATE changed it, and when it was written (epoch ms).
 */
record Change(long seq, String table, String op, String key, String oldKey, long at) {

  /** The next changes after {@code seq}, in commit order, at most {@code limit}. */
  static List<Change> after(Connection c, long seq, int limit) throws SQLException {
    List<Change> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, tbl, op, key, old_key, at FROM _ferry_changes WHERE seq > ? ORDER BY seq"
                + " LIMIT ?")) {
      ps.setLong(1, seq);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Change(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6)));
        }
      }
    }
    return out;
  }
}
