package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --if-exists truncate}: empties every existing table of the plan in one TRUNCATE, which
 * PostgreSQL accepts even when the tables reference each other by foreign key (a table referenced
 * by a key cannot be truncated alone). A table outside the plan that references one of them would
 * need CASCADE, which empties a table the user did not name: Ferry refuses instead, naming it.
 */
final class Truncation {
  private Truncation() {}

  /**
   * @return the foreign keys between the plan's tables that were dropped (the tables load in
   *     parallel, in any order; the run adds the source's foreign keys again after the load)
   */
  static List<String> truncate(Connection c, List<TablePlan> tables) throws SQLException {
    List<String> names = new ArrayList<>();
    tables.forEach(t -> names.add(t.qualified()));
    c.setAutoCommit(false);
    List<String> existing = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    List<String[]> between = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH plan AS (SELECT to_regclass(n) AS oid, n FROM unnest(?::text[]) AS n)"
                + " SELECT 'table', n FROM plan WHERE oid IS NOT NULL"
                + " UNION ALL"
                + " SELECT 'outside', format('%s (foreign key %I references %s)',"
                + "   k.conrelid::regclass, k.conname, k.confrelid::regclass)"
                + " FROM pg_constraint k"
                + " WHERE k.contype = 'f'"
                + " AND k.confrelid IN (SELECT oid FROM plan WHERE oid IS NOT NULL)"
                + " AND k.conrelid NOT IN (SELECT oid FROM plan WHERE oid IS NOT NULL)"
                + " UNION ALL"
                + " SELECT 'between', format('%s|%I|%s', k.conrelid::regclass, k.conname,"
                + "   pg_get_constraintdef(k.oid))"
                + " FROM pg_constraint k"
                + " WHERE k.contype = 'f'"
                + " AND k.confrelid IN (SELECT oid FROM plan WHERE oid IS NOT NULL)"
                + " AND k.conrelid IN (SELECT oid FROM plan WHERE oid IS NOT NULL)")) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          switch (rs.getString(1)) {
            case "table" -> existing.add(rs.getString(2));
            case "outside" -> outside.add(rs.getString(2));
            default -> between.add(rs.getString(2).split("\\|", 3));
          }
        }
      }
    }
    if (!outside.isEmpty()) {
      c.rollback();
      throw new FerryException(
          ErrorCode.TARGET_CONFLICT,
          "--if-exists truncate: "
              + String.join(", ", outside)
              + " is not part of this migration, and truncating the table it references would"
              + " have to empty it too (CASCADE); nothing was changed. Use --if-exists drop or"
              + " append, drop that foreign key, or migrate into another --schema");
    }
    List<String> dropped = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      for (String[] k : between) {
        st.execute("ALTER TABLE " + k[0] + " DROP CONSTRAINT " + k[1]);
        dropped.add(
            String.format(
                "--if-exists truncate: dropped foreign key %s of %s (%s) so the tables can load in"
                    + " any order; the source's foreign keys are added after the load",
                k[1], k[0], k[2]));
      }
      if (!existing.isEmpty()) {
        st.execute("TRUNCATE " + String.join(", ", existing));
      }
    }
    c.commit();
    return dropped;
  }
}
