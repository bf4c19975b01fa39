package dev.ferry.source.files;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table being staged: rows are written as they stream in, and a field seen for the first time
 * adds a column (rows before it hold NULL there, as they had no such field). Values are bound with
 * their JSON storage class (integer, real, text) into columns without declared types, so SQLite
 * stores them exactly as bound.
 */
final class StagingTable {
  /** Most columns a table gets from fields; later fields stay in doc only. */
  static final int MAX_FIELD_COLUMNS = 1000;

  static final byte NULL = 0;
  static final byte LONG = 1;
  static final byte DOUBLE = 2;
  static final byte TEXT = 3;

  final String name;

  /** The first key column (ordinal, line, key, file), which child tables reference. */
  final String keyColumn;

  final String keyDeclared;
  final List<StagedColumn> columns = new ArrayList<>();
  final ColumnNames names;
  final List<String> notes;
  private final Connection connection;
  private final Map<String, Integer> byField = new HashMap<>();
  private final int fixed;
  private int docColumn = -1;
  private long fieldsLeftInDoc;
  private PreparedStatement insert;
  private int preparedColumns;
  private byte[] kinds = new byte[16];
  private long[] longs = new long[16];
  private double[] doubles = new double[16];
  private String[] texts = new String[16];
  long rows;

  /**
   * @param fixedColumns name → SQLite column definition, in order (the key columns first)
   * @param primaryKey the PRIMARY KEY clause, or null
   * @param foreignKey a FOREIGN KEY clause, or null
   */
  StagingTable(
      Connection connection,
      String name,
      Map<String, String[]> fixedColumns,
      String primaryKey,
      String foreignKey,
      boolean doc,
      List<String> notes)
      throws SQLException {
    this.connection = connection;
    this.name = name;
    this.notes = notes;
    Map.Entry<String, String[]> firstKey = fixedColumns.entrySet().iterator().next();
    this.keyColumn = firstKey.getKey();
    String keyDdl = firstKey.getValue()[0];
    int space = keyDdl.indexOf(' ');
    this.keyDeclared = space < 0 ? keyDdl : keyDdl.substring(0, space);
    List<String> reserved = new ArrayList<>(fixedColumns.keySet());
    if (doc) {
      reserved.add("doc");
    }
    this.names = new ColumnNames(name, reserved, notes);
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + quote(name) + " (");
    for (Map.Entry<String, String[]> e : fixedColumns.entrySet()) {
      ddl.append(quote(e.getKey())).append(' ').append(e.getValue()[0]).append(", ");
      columns.add(new StagedColumn(null, e.getKey(), e.getValue()[1]));
    }
    if (doc) {
      docColumn = columns.size();
      ddl.append("doc, ");
      columns.add(new StagedColumn(null, "doc", "JSON"));
    }
    ddl.setLength(ddl.length() - 2);
    if (primaryKey != null) {
      ddl.append(", ").append(primaryKey);
    }
    if (foreignKey != null) {
      ddl.append(", ").append(foreignKey);
    }
    ddl.append(')');
    try (Statement st = connection.createStatement()) {
      st.executeUpdate(ddl.toString());
    }
    this.fixed = columns.size();
  }

  int docColumn() {
    return docColumn;
  }

  /** The column of {@code field}, added on first sight; -1 when the table has too many. */
  int field(String field) throws SQLException {
    Integer known = byField.get(field);
    if (known != null) {
      return known;
    }
    if (columns.size() - fixed >= MAX_FIELD_COLUMNS) {
      fieldsLeftInDoc++;
      byField.put(field, -1);
      return -1;
    }
    String column = names.of(field);
    try (Statement st = connection.createStatement()) {
      st.executeUpdate("ALTER TABLE " + quote(name) + " ADD COLUMN " + quote(column));
    }
    int i = columns.size();
    columns.add(new StagedColumn(field, column, null));
    byField.put(field, i);
    grow(columns.size());
    return i;
  }

  private void grow(int n) {
    if (n > kinds.length) {
      int size = Math.max(n, kinds.length * 2);
      kinds = java.util.Arrays.copyOf(kinds, size);
      longs = java.util.Arrays.copyOf(longs, size);
      doubles = java.util.Arrays.copyOf(doubles, size);
      texts = java.util.Arrays.copyOf(texts, size);
    }
  }

  void startRow() {
    java.util.Arrays.fill(kinds, 0, columns.size(), NULL);
  }

  void setLong(int i, long v) {
    kinds[i] = LONG;
    longs[i] = v;
  }

  void setDouble(int i, double v) {
    kinds[i] = DOUBLE;
    doubles[i] = v;
  }

  void setText(int i, String v) {
    kinds[i] = TEXT;
    texts[i] = v;
  }

  void setNull(int i) {
    kinds[i] = NULL;
  }

  void endRow() throws SQLException {
    int n = columns.size();
    if (insert == null || preparedColumns != n) {
      if (insert != null) {
        insert.close();
      }
      StringBuilder sql = new StringBuilder("INSERT INTO " + quote(name) + " (");
      StringBuilder values = new StringBuilder(") VALUES (");
      for (int i = 0; i < n; i++) {
        sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i).name));
        values.append(i == 0 ? "?" : ", ?");
      }
      insert = connection.prepareStatement(sql + values.toString() + ")");
      preparedColumns = n;
    }
    for (int i = 0; i < n; i++) {
      switch (kinds[i]) {
        case LONG -> insert.setLong(i + 1, longs[i]);
        case DOUBLE -> insert.setDouble(i + 1, doubles[i]);
        case TEXT -> insert.setString(i + 1, texts[i]);
        default -> insert.setNull(i + 1, java.sql.Types.NULL);
      }
    }
    insert.executeUpdate();
    rows++;
  }

  /**
   * Ends the table: columns that held objects or arrays and scalars too get their scalars rewritten
   * as JSON (from the doc, which holds each field exactly) so the column can be jsonb; then the
   * column hints are recorded for the planner.
   */
  void finish() throws SQLException {
    if (insert != null) {
      insert.close();
    }
    if (fieldsLeftInDoc > 0) {
      notes.add(
          String.format(
              "table %s: %,d fields beyond the first %,d stay in doc only (PostgreSQL allows 1,600"
                  + " columns)",
              name, fieldsLeftInDoc, MAX_FIELD_COLUMNS));
    }
    try (PreparedStatement hint =
        connection.prepareStatement(
            "INSERT INTO _ferry_columns (tbl, col, position, declared) VALUES (?, ?, ?, ?)")) {
      int position = 0;
      for (int i = 0; i < columns.size(); i++) {
        StagedColumn c = columns.get(i);
        boolean rewritten = false;
        if (c.field != null && c.holdsContainersAndScalars() && docColumn >= 0) {
          rewritten = rewriteAsJson(c);
        }
        hint.setString(1, name);
        hint.setString(2, c.name);
        hint.setInt(3, i == docColumn ? Integer.MAX_VALUE : position++);
        hint.setString(4, c.declared(rewritten));
        hint.executeUpdate();
      }
    }
  }

  private boolean rewriteAsJson(StagedColumn c) throws SQLException {
    if (c.field.contains("\"") || c.field.contains("\\")) {
      return false;
    }
    try (PreparedStatement st =
        connection.prepareStatement(
            "UPDATE "
                + quote(name)
                + " SET "
                + quote(c.name)
                + " = json(doc -> ?) WHERE "
                + quote(c.name)
                + " IS NOT NULL")) {
      st.setString(1, "$.\"" + c.field + "\"");
      st.executeUpdate();
      return true;
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.INTERNAL, "staging " + name + "." + c.name + ": " + e.getMessage(), e);
    }
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
