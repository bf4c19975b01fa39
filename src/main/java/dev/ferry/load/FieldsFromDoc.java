package dev.ferry.load;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns PostgreSQL takes from the doc while rows are copied (issue 12: the server parses each
 * JSON text once). {@link TableCreator} creates a column planned {@link ColumnPlan#fromDoc} as
 * {@code GENERATED ALWAYS AS (NULLIF(doc -> 'field', 'null')) STORED}; every chunk's COPY leaves
 * out the columns that are generated in the catalog at that moment (so a chunked load, a resumed
 * one and an existing table are all read from the catalog, not assumed); the last chunk's
 * transaction drops their expressions, after which they are ordinary columns holding the values
 * computed. The encoder still encodes and hashes each such value as read from the source, and
 * verification reads the stored column: a wrong extraction is a checksum mismatch, never a pass.
 */
final class FieldsFromDoc {
  private FieldsFromDoc() {}

  /**
   * Which of {@code columns} the server computes from the doc in {@code t} now: planned from the
   * doc and generated in the catalog. Null when none, and always null in a table this run did not
   * create ({@code createdByRun} false: --if-exists truncate or append into an existing table),
   * whose generated columns are the user's, never Ferry's to leave out of the COPY or to drop.
   */
  static boolean[] computed(
      Connection c, TablePlan t, List<ColumnPlan> columns, boolean createdByRun)
      throws SQLException {
    if (!createdByRun || columns.stream().allMatch(col -> col.fromDoc() == null)) {
      return null;
    }
    Set<String> generated = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attgenerated = 's' AND attnum > 0 AND NOT attisdropped")) {
      ps.setString(1, t.qualified());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          generated.add(rs.getString(1));
        }
      }
    }
    boolean[] out = new boolean[columns.size()];
    boolean any = false;
    for (int i = 0; i < out.length; i++) {
      out[i] = columns.get(i).fromDoc() != null && generated.contains(columns.get(i).name());
      any |= out[i];
    }
    return any ? out : null;
  }

  /** The columns the COPY sends: all but those computed. */
  static List<ColumnPlan> sent(List<ColumnPlan> columns, boolean[] computed) {
    if (computed == null) {
      return columns;
    }
    List<ColumnPlan> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (!computed[i]) {
        out.add(columns.get(i));
      }
    }
    return out;
  }

  /** Makes the computed columns ordinary ones, keeping their values (one ALTER TABLE). */
  static void makeOrdinary(Connection c, TablePlan t, List<ColumnPlan> columns, boolean[] computed)
      throws SQLException {
    if (computed == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (computed[i]) {
        names.add(columns.get(i).name());
      }
    }
    try (Statement st = c.createStatement()) {
      st.execute(Ddl.dropExpressions(t, names));
    }
  }
}
