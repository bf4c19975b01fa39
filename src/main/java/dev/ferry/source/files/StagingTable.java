package dev.ferry.source.files;

import dev.ferry.source.SourceColumn;
import dev.ferry.sql.SqlText;
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
 *
 * <p>Why over 500 lines: one staged table's whole shape (columns as they appear, their storage
 * classes, the INSERT for each pattern of bound bytes) changes together; split, each part would
 * reach into the others' state.
 */
final class StagingTable {
  /** Most columns a table gets from fields; later fields stay in doc only. */
  static final int MAX_FIELD_COLUMNS = 1000;

  final String name;

  /** The first key column (ordinal, line, key, file), which child tables reference. */
  final String keyColumn;

  final String keyDeclared;
  final List<StagedColumn> columns = new ArrayList<>();
  final ColumnNames names;
  final List<String> notes;
  private final SqlWriter writer;
  private final Map<String, Integer> byField = new HashMap<>();
  private final int fixed;
  private int docColumn = -1;
  private long fieldsLeftInDoc;

  /**
   * The INSERTs prepared for the current width, by which columns (of the first 64, but the doc)
   * they cast from UTF-8 bytes (see {@link #insertFor}).
   */
  private final Map<Long, PreparedStatement> inserts = new java.util.HashMap<>();

  private static final int MAX_INSERTS = 8;

  private int preparedColumns;

  /** The row being filled: Long, Double, String or null per column, as SQLite will bind it. */
  private Object[] current = new Object[16];

  /**
   * A field named like the key column (seed 000's tweet_id inside each tweet keyed by tweet_id),
   * and whether it has held exactly the key, as the same text, in every row so far.
   */
  private int keyTwin = -1;

  private boolean keyTwinEqual;
  long rows;

  /**
   * @param fixedColumns name → SQLite column definition, in order (the key columns first)
   * @param primaryKey the PRIMARY KEY clause, or null
   * @param foreignKey a FOREIGN KEY clause, or null
   */
  StagingTable(
      SqlWriter writer,
      String name,
      Map<String, String[]> fixedColumns,
      String primaryKey,
      String foreignKey,
      boolean doc,
      List<String> notes)
      throws SQLException {
    this.writer = writer;
    this.name = name;
    this.notes = notes;
    Map.Entry<String, String[]> firstKey = fixedColumns.entrySet().iterator().next();
    this.keyColumn = firstKey.getKey();
    String keyDdl = firstKey.getValue()[0];
    int space = keyDdl.indexOf(' ');
    this.keyDeclared = space < 0 ? keyDdl : keyDdl.substring(0, space);
    List<String> reserved = new ArrayList<>(fixedColumns.keySet());
    if (doc) {
      reserved.add(SourceColumn.DOC);
    }
    this.names = new ColumnNames(name, reserved, notes);
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + SqlText.ident(name) + " (");
    for (Map.Entry<String, String[]> e : fixedColumns.entrySet()) {
      ddl.append(SqlText.ident(e.getKey())).append(' ').append(e.getValue()[0]).append(", ");
      columns.add(new StagedColumn(null, e.getKey(), e.getValue()[1]));
    }
    if (doc) {
      docColumn = columns.size();
      ddl.append("doc, ");
      columns.add(new StagedColumn(null, SourceColumn.DOC, "JSON"));
    }
    ddl.setLength(ddl.length() - 2);
    if (primaryKey != null) {
      ddl.append(", ").append(primaryKey);
    }
    if (foreignKey != null) {
      ddl.append(", ").append(foreignKey);
    }
    ddl.append(')');
    String create = ddl.toString();
    writer.call(
        c -> {
          try (Statement st = c.createStatement()) {
            st.executeUpdate(create);
          }
        });
    this.fixed = columns.size();
    this.keyWidth = primaryKey == null ? 1 : primaryKey.split(",", -1).length;
  }

  int docColumn() {
    return docColumn;
  }

  /**
   * False once a record held JSON that is not plain (see {@link PlainJson}): then none of the
   * table's JSON columns is marked as written plain by staging. Set by the staging thread, read by
   * the writer's in {@link #finish}, which runs after every record was handed over.
   */
  private volatile boolean plainJson = !PlainJson.documentLimitsApply();

  /** A record of this table held JSON that is not plain (see {@link PlainJson}). */
  void notPlainJson() {
    plainJson = false;
  }

  /** The value column of a keyed map of plain values; -1 in a table of records. */
  private int plainValue = -1;

  /**
   * Makes this the table of a keyed map of plain values: its one column beside the key is {@code
   * value}, and its doc (the value's JSON text) is not a column of the target.
   *
   * @return the value column
   */
  int plainValue() throws SQLException {
    plainValue = field("value");
    return plainValue;
  }

  /** Fields whose arrays some record unnested: their column does not hold them in every row. */
  private final java.util.Set<String> unnested = new java.util.HashSet<>();

  /** A record's {@code field} went to unnesting (its column may then lack the value doc has). */
  void unnested(String field) {
    unnested.add(field);
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
    flush(); // rows before the new column are written with the statement they were made for
    String alter = "ALTER TABLE " + SqlText.ident(name) + " ADD COLUMN " + SqlText.ident(column);
    writer.submit(
        c -> {
          try (Statement st = c.createStatement()) {
            st.executeUpdate(alter);
          }
        });
    int i = columns.size();
    columns.add(new StagedColumn(field, column, null));
    byField.put(field, i);
    if (current.length < columns.size()) {
      current = java.util.Arrays.copyOf(current, columns.size() * 2);
    }
    if (keyTwin < 0 && !column.equals(keyColumn) && ColumnNames.snake(field).equals(keyColumn)) {
      keyTwin = i;
      keyTwinEqual = rows == 0; // rows before it did not have the field
    }
    return i;
  }

  void startRow() {
    java.util.Arrays.fill(current, 0, columns.size(), null);
  }

  void setLong(int i, long v) {
    current[i] = v;
  }

  void setDouble(int i, double v) {
    current[i] = v;
  }

  void setText(int i, String v) {
    current[i] = v;
  }

  /**
   * Column {@code i} holds this UTF-8 text (the doc, or an object or array as the JSON writer made
   * it), bound as its bytes and stored as text: the column's placeholder casts it (see {@link
   * #insertFor}).
   */
  void setUtf8(int i, byte[] utf8) {
    current[i] = new Utf8Text(utf8);
  }

  /** Text already encoded as UTF-8. */
  private static final class Utf8Text {
    final byte[] bytes;

    Utf8Text(byte[] bytes) {
      this.bytes = bytes;
    }

    String string() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** What to do when the staging table refuses a row (a repeated key): runs on the writer. */
  interface Conflict {
    void handle(Connection c, Object[] row, SQLException e) throws Exception;

    /**
     * True when the refused row then takes the place of the row it collided with (the later copy of
     * a key wins, as JSON readers have it); {@link #handle} ran first and saw the earlier row.
     */
    default boolean replaces() {
      return false;
    }
  }

  /** A conflict handler after which the refused row replaces the stored one. */
  static Conflict replacing(Conflict before) {
    return new Conflict() {
      @Override
      public void handle(Connection c, Object[] row, SQLException e) throws Exception {
        before.handle(c, row, e);
      }

      @Override
      public boolean replaces() {
        return true;
      }
    };
  }

  /** How many leading columns form the key (a keyed object's key; a child's parent key and idx). */
  private final int keyWidth;

  static final int BATCH = 512;

  /** The position that tells the planner a staged column is not a column of the target. */
  static final int HIDDEN = -1;

  private List<Object[]> batch = new ArrayList<>(BATCH);
  private List<Conflict> conflicts = new ArrayList<>(BATCH);

  void endRow() throws SQLException {
    endRow(null);
  }

  /** Queues the current row; {@code onConflict} decides about a refused one (null: fail). */
  void endRow(Conflict onConflict) throws SQLException {
    Object[] row = java.util.Arrays.copyOf(current, columns.size());
    if (keyTwin >= 0 && keyTwinEqual && !sameText(row[keyTwin], row[0])) {
      keyTwinEqual = false;
    }
    batch.add(row);
    conflicts.add(onConflict);
    rows++;
    if (batch.size() >= BATCH) {
      flush();
    }
  }

  /** Both are the same text (a string, or an object's or array's UTF-8 JSON text). */
  private static boolean sameText(Object v, Object key) {
    return v instanceof String s
        ? s.equals(key)
        : v instanceof Utf8Text u && u.string().equals(key);
  }

  /**
   * Tables whose rows hang off this one's (unnested children): their queued rows are handed to the
   * writer before this table's, so when a repeated key replaces a row here, every child row of the
   * copies before it is already written and can be replaced or removed.
   */
  final List<StagingTable> children = new ArrayList<>();

  /** Hands the queued rows to the writer (those of its children first). */
  void flush() throws SQLException {
    for (StagingTable child : children) {
      child.flush();
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Object[]> rowsToWrite = batch;
    List<Conflict> handlers = conflicts;
    List<String> names = columns.stream().map(c -> c.name).toList(); // as of these rows
    batch = new ArrayList<>(BATCH);
    conflicts = new ArrayList<>(BATCH);
    writer.submit(c -> write(c, rowsToWrite, handlers, names));
  }

  /**
   * On the writer thread: binds and inserts rows (all of one width, see field()). The doc column's
   * placeholder is {@code CAST(? AS TEXT)}: its UTF-8 bytes are bound as a blob and stored as the
   * text they encode, byte for byte (a text or NULL bound there is unchanged by the cast; the doc
   * column never holds a number).
   */
  private void write(
      Connection c, List<Object[]> rowsToWrite, List<Conflict> handlers, List<String> names)
      throws Exception {
    for (int r = 0; r < rowsToWrite.size(); r++) {
      Object[] row = rowsToWrite.get(r);
      int n = row.length;
      PreparedStatement insert = insertFor(c, row, names);
      for (int i = 0; i < n; i++) {
        Object v = row[i];
        if (v instanceof Long l) {
          insert.setLong(i + 1, l);
        } else if (v instanceof Double d) {
          insert.setDouble(i + 1, d);
        } else if (v instanceof String s) {
          insert.setString(i + 1, s);
        } else if (v instanceof Utf8Text u) {
          insert.setBytes(i + 1, u.bytes);
        } else {
          insert.setNull(i + 1, java.sql.Types.NULL);
        }
      }
      try {
        insert.executeUpdate();
      } catch (SQLException e) {
        Conflict h = handlers.get(r);
        if (h == null || !String.valueOf(e.getMessage()).contains("constraint failed")) {
          throw e;
        }
        h.handle(c, row, e);
        if (h.replaces()) {
          deleteKey(c, row, names);
          insert.executeUpdate(); // its parameters are still bound
        }
      }
    }
  }

  /**
   * On the writer thread: the INSERT for {@code row}, whose placeholder is {@code CAST(? AS TEXT)}
   * for the doc and for each column that holds UTF-8 bytes in this row (an object or array as the
   * JSON writer made it) and {@code ?} for the others, so that a number keeps its storage class. A
   * table's rows mostly share one such pattern; past {@link #MAX_INSERTS} patterns (or past the
   * 64th column) the bytes are bound as strings instead, stored the same.
   */
  private PreparedStatement insertFor(Connection c, Object[] row, List<String> names)
      throws SQLException {
    int n = row.length;
    if (preparedColumns != n) {
      closeInserts();
      preparedColumns = n;
    }
    long cast = 0;
    for (int i = 0; i < n; i++) {
      if (i != docColumn && row[i] instanceof Utf8Text u) {
        if (i < 64) {
          cast |= 1L << i;
        } else {
          row[i] = u.string();
        }
      }
    }
    PreparedStatement ps = inserts.get(cast);
    if (ps == null && cast != 0 && inserts.size() >= MAX_INSERTS) {
      for (int i = 0; i < n; i++) {
        if (i != docColumn && row[i] instanceof Utf8Text u) {
          row[i] = u.string();
        }
      }
      cast = 0;
      ps = inserts.get(cast);
    }
    if (ps == null) {
      StringBuilder sql = new StringBuilder("INSERT INTO " + SqlText.ident(name) + " (");
      StringBuilder values = new StringBuilder(") VALUES (");
      for (int i = 0; i < n; i++) {
        boolean bytes = i == docColumn || (i < 64 && (cast & (1L << i)) != 0);
        sql.append(i == 0 ? "" : ", ").append(SqlText.ident(names.get(i)));
        values.append(i == 0 ? "" : ", ").append(bytes ? "CAST(? AS TEXT)" : "?");
      }
      ps = c.prepareStatement(sql + values.toString() + ")");
      inserts.put(cast, ps);
    }
    return ps;
  }

  private void closeInserts() throws SQLException {
    for (PreparedStatement ps : inserts.values()) {
      ps.close();
    }
    inserts.clear();
  }

  /** On the writer thread: removes the stored row with the key of {@code row}. */
  private void deleteKey(Connection c, Object[] row, List<String> names) throws SQLException {
    StringBuilder sql = new StringBuilder("DELETE FROM " + SqlText.ident(name) + " WHERE ");
    for (int i = 0; i < keyWidth; i++) {
      sql.append(i == 0 ? "" : " AND ").append(SqlText.ident(names.get(i))).append(" = ?");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < keyWidth; i++) {
        ps.setObject(i + 1, row[i]);
      }
      ps.executeUpdate();
    }
  }

  /**
   * On the writer thread: the doc text of the stored row whose first key column is {@code key}, or
   * a placeholder when doc is not kept.
   */
  String storedDoc(Connection c, Object key) throws SQLException {
    if (docColumn < 0) {
      return "(not kept: files.doc is false)";
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT doc FROM "
                + SqlText.ident(name)
                + " WHERE "
                + SqlText.ident(keyColumn)
                + " = ?")) {
      ps.setObject(1, key);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** On the writer thread: removes child rows of {@code key} from index {@code from} on. */
  void deleteChildrenFrom(Connection c, Object key, long from) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + SqlText.ident(name)
                + " WHERE "
                + SqlText.ident(keyColumn)
                + " = ? AND idx >= ?")) {
      ps.setObject(1, key);
      ps.setLong(2, from);
      ps.executeUpdate();
    }
  }

  /**
   * Ends the table: columns that held objects or arrays and scalars too get their scalars rewritten
   * as JSON (from the doc, which holds each field exactly) so the column can be jsonb; then the
   * column hints are recorded for the planner.
   */
  void finish() throws SQLException {
    flush();
    writer.call(this::finishOnWriter);
  }

  private void finishOnWriter(Connection connection) throws SQLException {
    closeInserts();
    if (fieldsLeftInDoc > 0) {
      notes.add(
          String.format(
              "table %s: %,d fields beyond the first %,d stay in doc only (PostgreSQL allows 1,600"
                  + " columns)",
              name, fieldsLeftInDoc, MAX_FIELD_COLUMNS));
    }
    StagedColumn sameAsKey = keyTwin >= 0 && keyTwinEqual ? columns.get(keyTwin) : null;
    if (sameAsKey != null) {
      notes.removeIf(
          n -> n.startsWith("table " + name + ": field \"" + sameAsKey.field + "\" is column "));
      notes.add(
          String.format(
              "table %s: field \"%s\" equals the key %s in every row: it is the key (doc keeps it)",
              name, sameAsKey.field, keyColumn));
    }
    try (PreparedStatement hint =
        connection.prepareStatement(
            "INSERT INTO _ferry_columns (tbl, col, position, declared, plain_json, field)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      int position = 0;
      for (int i = 0; i < columns.size(); i++) {
        StagedColumn c = columns.get(i);
        boolean rewritten = false;
        if (i == plainValue && c.kinds() > 1) {
          rewritten = rewriteAsJson(connection, c, "$"); // so 1, "1" and true stay apart
        } else if (c.field != null && c.holdsContainersAndScalars() && docColumn >= 0) {
          rewritten = rewriteAsJson(connection, c, fieldPath(c.field));
        }
        boolean hidden = c == sameAsKey || (i == docColumn && plainValue >= 0);
        hint.setString(1, name);
        hint.setString(2, c.name);
        hint.setInt(3, hidden ? HIDDEN : i == docColumn ? Integer.MAX_VALUE : position++);
        hint.setString(4, c.declared(rewritten));
        hint.setInt(5, writtenPlain(i, c, rewritten) ? 1 : 0);
        hint.setString(6, heldAsInDoc(i, c, rewritten) ? c.field : null);
        hint.executeUpdate();
      }
    }
  }

  /**
   * Every value of column {@code i} is JSON text that staging's generator wrote from a record that
   * was plain JSON throughout: the doc, or a column of objects and arrays only (never one rewritten
   * by SQLite's json(), nor a column that also held scalars).
   */
  private boolean writtenPlain(int i, StagedColumn c, boolean rewritten) {
    return plainJson
        && !rewritten
        && (i == docColumn
            || (c.field != null && c.containers > 0 && !c.holdsContainersAndScalars()));
  }

  /**
   * Column {@code i} holds, in every row, exactly its top-level field of the row's doc: an object's
   * or array's JSON text as a byte-for-byte slice of the doc's text, NULL where the field is JSON
   * null or missing. So {@code NULLIF(doc -> field, 'null')} in jsonb is the column's jsonb (the
   * {@code field} of {@code _ferry_columns}, which lets the load have PostgreSQL take it from the
   * doc instead of parsing the same text twice). Only for a column of objects and arrays only
   * (scalars are stored in other forms), not rewritten, in a table with a doc whose records are
   * plain (no repeated key: with one, the column would keep the first container and the doc the
   * last value), never the value of a keyed map of plain values (the doc is the value itself, not a
   * record holding it) nor a field some record unnested (that record's column is NULL).
   */
  private boolean heldAsInDoc(int i, StagedColumn c, boolean rewritten) {
    return docColumn >= 0
        && i != plainValue
        && i != docColumn
        && c.field != null
        && !unnested.contains(c.field)
        && writtenPlain(i, c, rewritten);
  }

  /** The SQLite JSON path of a top-level field; null when the name cannot be written in one. */
  private static String fieldPath(String field) {
    return field.contains("\"") || field.contains("\\") || field.indexOf('\0') >= 0
        ? null // (SQLite reads a path only up to a NUL)
        : "$.\"" + field + "\"";
  }

  private boolean rewriteAsJson(Connection connection, StagedColumn c, String path)
      throws SQLException {
    if (path == null) {
      return false;
    }
    try (PreparedStatement st =
        connection.prepareStatement(
            "UPDATE "
                + SqlText.ident(name)
                + " SET "
                + SqlText.ident(c.name)
                + " = json(doc -> ?) WHERE "
                + SqlText.ident(c.name)
                + " IS NOT NULL")) {
      st.setString(1, path);
      st.executeUpdate();
      return true;
    } catch (SQLException e) {
      throw StagingFailure.of("table " + name + ", column " + c.name, e);
    }
  }
}
