package dev.ferry.source.sqlite;

import dev.ferry.source.SourceColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column hints of a database staged from JSON and text files (source.files): its tables are
 * created without declared types, so that every value keeps the storage class it was bound with,
 * and the table {@code _ferry_columns} says what each column held in JSON terms (JSON, BOOLEAN,
 * NUMERIC, TIMESTAMP), whether its JSON texts are plain as staging wrote them ({@code plain_json},
 * {@link SourceColumn#plainJson}), which top-level field of the doc a column holds exactly ({@code
 * field}, {@link SourceColumn#docField}) and in which order the columns belong; a negative position
 * leaves a column out (a field that only repeats the key). Ordinary SQLite files have no such table
 * and are read as they are.
 */
final class StagedColumns {
  static final StagedColumns NONE = new StagedColumns(Map.of());

  private record Hint(int position, String declared, boolean plainJson, String docField) {}

  private final Map<String, Map<String, Hint>> hints;

  private StagedColumns(Map<String, Map<String, Hint>> hints) {
    this.hints = hints;
  }

  static StagedColumns read(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet has =
            st.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_ferry_columns'")) {
      if (!has.next()) {
        return NONE;
      }
    }
    boolean marked; // plain_json: staged by a version that marks it (else nothing is marked)
    boolean fields; // field: staged by a version that records it (else no column holds one)
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(max(name = 'plain_json'), 0), coalesce(max(name = 'field'), 0)"
                    + " FROM pragma_table_info('_ferry_columns')")) {
      rs.next();
      marked = rs.getInt(1) == 1;
      fields = rs.getInt(2) == 1;
    }
    Map<String, Map<String, Hint>> hints = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT tbl, col, position, declared, "
                    + (marked ? "plain_json" : "0")
                    + ", "
                    + (fields ? "field" : "NULL")
                    + " FROM _ferry_columns")) {
      while (rs.next()) {
        hints
            .computeIfAbsent(rs.getString(1), t -> new HashMap<>())
            .put(
                rs.getString(2),
                new Hint(rs.getInt(3), rs.getString(4), rs.getInt(5) == 1, rs.getString(6)));
      }
    }
    return new StagedColumns(hints);
  }

  /** The table's columns with their hinted types, in their hinted order. */
  List<SourceColumn> apply(String table, List<SourceColumn> columns) {
    Map<String, Hint> h = hints.get(table);
    if (h == null) {
      return columns;
    }
    List<SourceColumn> out = new ArrayList<>();
    for (SourceColumn c : columns) {
      Hint hint = h.get(c.name());
      if (hint != null && hint.position() < 0) {
        continue;
      }
      out.add(
          hint == null || c.rowidAlias()
              ? c
              : new SourceColumn(
                  c.name(),
                  hint.declared(),
                  c.notNull(),
                  c.defaultSql(),
                  c.primaryKeyOrdinal(),
                  c.collation(),
                  c.generatedSql(),
                  c.generatedStored(),
                  false,
                  hint.plainJson(),
                  hint.docField()));
    }
    out.sort(
        Comparator.comparingInt(
            c -> h.containsKey(c.name()) ? h.get(c.name()).position() : Integer.MAX_VALUE));
    return out;
  }
}
