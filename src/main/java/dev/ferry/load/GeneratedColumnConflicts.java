package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code --if-exists truncate} and {@code append} load into the user's existing tables, whose
 * generated columns are the user's: PostgreSQL computes them and a COPY that names one fails (a
 * staged doc field of a JSON store, or any source column, named like one). Ferry refuses before
 * anything changes, naming every such table and column and how to go on, instead of failing in the
 * middle of the load with the server's words.
 */
final class GeneratedColumnConflicts {
  private GeneratedColumnConflicts() {}

  /**
   * @throws FerryException TARGET_CONFLICT naming each existing table of {@code tables} with a
   *     generated column the load would write, and its expression
   */
  static void refuse(Connection c, List<TablePlan> tables, IfExists mode) throws SQLException {
    Map<String, TablePlan> byName = new HashMap<>();
    List<String> names = new ArrayList<>(); // in the plan's order, for the message
    tables.forEach(
        t -> {
          byName.put(t.qualified(), t);
          names.add(t.qualified());
        });
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n, a.attname, pg_get_expr(d.adbin, d.adrelid), a.attgenerated = 's'"
                + " FROM unnest(?::text[]) WITH ORDINALITY AS p(n, i)"
                + " JOIN pg_attribute a ON a.attrelid = to_regclass(p.n)"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attgenerated <> '' AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY p.i, a.attnum")) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TablePlan t = byName.get(rs.getString(1));
          Set<String> loaded =
              t.loadedColumns().stream().map(ColumnPlan::name).collect(Collectors.toSet());
          if (loaded.contains(rs.getString(2))) {
            found.add(
                "table "
                    + t.qualified()
                    + " has a generated column "
                    + rs.getString(2)
                    + " (GENERATED ALWAYS AS ("
                    + rs.getString(3)
                    + (rs.getBoolean(4) ? ") STORED" : ") VIRTUAL")
                    + "), which would receive source table "
                    + t.source().name()
                    + "'s column of that name");
          }
        }
      }
    }
    if (!found.isEmpty()) {
      throw new FerryException(
          ErrorCode.TARGET_CONFLICT,
          "--if-exists "
              + mode.name().toLowerCase(Locale.ROOT)
              + ": "
              + String.join("; ", found)
              + ". PostgreSQL computes a generated column and accepts no value for it; nothing was"
              + " changed. Drop or rename that column, or choose another --if-exists (drop"
              + " replaces the table)");
    }
  }
}
