package dev.ferry.map;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Undoing a run's mapped tables: the rows it inserted into tables it did not create are deleted by
 * the keys recorded in ferry.mapped_rows, and nothing else. A target without a primary key cannot
 * tell the run's rows from others: such a run is refused, saying so.
 */
final class MappedRollback {
  private MappedRollback() {}

  private record Loaded(String source, String target, List<String> key, long written) {}

  private static List<Loaded> loaded(Connection c, UUID run) throws SQLException {
    List<Loaded> out = new ArrayList<>();
    if (!exists(c)) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT source_table, target_table, key_columns, rows_written FROM ferry.mapped_tables"
                + " WHERE run_id = ? AND NOT rolled_back ORDER BY source_table")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array key = rs.getArray(3);
          out.add(
              new Loaded(
                  rs.getString(1),
                  rs.getString(2),
                  List.of((String[]) key.getArray()),
                  rs.getLong(4)));
        }
      }
    }
    return out;
  }

  private static boolean exists(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT to_regclass('ferry.mapped_tables') IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  static List<String> blockers(Connection c, UUID run) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Loaded l : loaded(c, run)) {
      if (l.key().isEmpty() && l.written() > 0) {
        out.add(
            String.format(
                "%,d rows of %s went into %s, which has no primary key: Ferry cannot tell them from"
                    + " other rows (delete them yourself, or give the table a key before mapping"
                    + " into it)",
                l.written(), l.source(), l.target()));
      }
    }
    return out;
  }

  /**
   * Deletes the run's rows on {@code c}'s transaction; one note per table. Tables that reference
   * another of the run's tables go first: deleting a parent first would be refused (a plain foreign
   * key) or would cascade to the run's child rows before they were counted.
   */
  static List<String> delete(Connection c, UUID run) throws SQLException {
    List<String> notes = new ArrayList<>();
    for (Loaded l : childrenFirst(c, loaded(c, run))) {
      String target = target(l.target());
      List<String> on = new ArrayList<>();
      for (int i = 0; i < l.key().size(); i++) {
        on.add("t." + SqlText.ident(l.key().get(i)) + "::text = m.row_key->>" + i);
      }
      long deleted;
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM "
                  + target
                  + " t USING ferry.mapped_rows m WHERE m.run_id = ? AND m.source_table = ? AND "
                  + String.join(" AND ", on))) {
        ps.setObject(1, run);
        ps.setString(2, l.source());
        ps.execute();
        deleted = ps.getUpdateCount();
      } catch (SQLException e) {
        throw new FerryException(
            ErrorCode.USAGE,
            "run "
                + run
                + " cannot be rolled back, nothing was changed: deleting the rows it inserted into "
                + l.target()
                + " failed: "
                + e.getMessage(),
            e);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE ferry.mapped_tables SET rolled_back = true WHERE run_id = ? AND source_table = ?")) {
        ps.setObject(1, run);
        ps.setString(2, l.source());
        ps.executeUpdate();
      }
      notes.add(
          String.format(
              "deleted %,d rows it inserted into %s (from %s)%s",
              deleted,
              l.target(),
              l.source(),
              deleted == l.written()
                  ? ""
                  : String.format(
                      "; %,d of the %,d it inserted were already gone",
                      l.written() - deleted, l.written())));
    }
    return notes;
  }

  /**
   * {@code loaded} ordered so that each table comes before the tables it references (its order kept
   * otherwise; tables in a cycle of references keep theirs).
   */
  private static List<Loaded> childrenFirst(Connection c, List<Loaded> loaded) throws SQLException {
    List<Loaded> left = new ArrayList<>(loaded);
    List<Loaded> out = new ArrayList<>();
    while (!left.isEmpty()) {
      Loaded next = left.get(0);
      for (Loaded candidate : left) {
        boolean referenced = false;
        for (Loaded other : left) {
          if (!other.target().equals(candidate.target())
              && references(c, other.target(), candidate.target())) {
            referenced = true;
            break;
          }
        }
        if (!referenced) {
          next = candidate;
          break;
        }
      }
      left.remove(next);
      out.add(next);
    }
    return out;
  }

  /** True when table {@code from} has a foreign key to table {@code to} (both as recorded). */
  private static boolean references(Connection c, String from, String to) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f'"
                + " AND conrelid = to_regclass(?) AND confrelid = to_regclass(?))")) {
      ps.setString(1, target(from));
      ps.setString(2, target(to));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** "schema.table" as recorded, quoted (names are the catalog's, without dots). */
  private static String target(String recorded) {
    int dot = recorded.indexOf('.');
    return SqlText.qualified(recorded.substring(0, dot), recorded.substring(dot + 1));
  }
}
