package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rows of one table read from the application's SQLite file in one short statement (its own read
 * transaction, ended before the rows are looked at) and held in memory as a {@link RowCursor}: each
 * value with its storage class and a TEXT value's raw bytes, as the migration read them, so {@code
 * RowEncoder} encodes and hashes them as the load did. Each row also carries its key as the capture
 * triggers log it ({@code quote()} of each key column, joined by commas).
 */
final class HeldRows implements RowCursor {
  private final List<String> keys = new ArrayList<>();
  private final List<int[]> types = new ArrayList<>();
  private final List<Object[]> values = new ArrayList<>();
  private int at = -1;

  private HeldRows() {}

  /** Up to {@code limit} rows after {@code afterKey} (null: from the start), in key order. */
  static HeldRows range(Connection lite, TablePlan t, String afterKey, int limit)
      throws SQLException {
    String key = keyList(t);
    return read(
        lite,
        t,
        (afterKey == null ? "" : " WHERE (" + key + ") > (" + Applier.checked(afterKey) + ")")
            + " ORDER BY "
            + key
            + " LIMIT "
            + limit);
  }

  /** The rows SQLite holds under {@code keys} (capture-form keys; absent ones are not returned). */
  static HeldRows byKeys(Connection lite, TablePlan t, Collection<String> keys)
      throws SQLException {
    return read(
        lite,
        t,
        " WHERE ("
            + keyList(t)
            + ") IN (VALUES "
            + keys.stream()
                .map(k -> "(" + Applier.checked(k) + ")")
                .collect(Collectors.joining(", "))
            + ")");
  }

  private static String keyList(TablePlan t) {
    return t.source().primaryKey().stream()
        .map(c -> ident(c.name()))
        .collect(Collectors.joining(", "));
  }

  private static HeldRows read(Connection lite, TablePlan t, String tail) throws SQLException {
    List<SourceColumn> columns = t.loadedColumns().stream().map(ColumnPlan::source).toList();
    StringBuilder sql = new StringBuilder("SELECT ");
    // a NULL in the key gives no key at all (quote(NULL) is the text NULL, which would look the
    // row up as matching nothing and page past rows after it): the table is then checked whole
    sql.append("CASE WHEN ")
        .append(
            t.source().primaryKey().stream()
                .map(c -> ident(c.name()) + " IS NULL")
                .collect(Collectors.joining(" OR ")))
        .append(" THEN NULL ELSE ")
        .append(
            t.source().primaryKey().stream()
                .map(c -> "quote(" + ident(c.name()) + ")")
                .collect(Collectors.joining(" || ',' || ")))
        .append(" END");
    for (SourceColumn c : columns) {
      String col = ident(c.name());
      sql.append(", typeof(")
          .append(col)
          .append("), CASE WHEN typeof(")
          .append(col)
          .append(") IN ('text', 'blob') THEN CAST(")
          .append(col)
          .append(" AS BLOB) ELSE ")
          .append(col)
          .append(" END");
    }
    sql.append(" FROM main.").append(ident(t.source().name())).append(tail);
    HeldRows held = new HeldRows();
    try (Statement st = lite.createStatement();
        ResultSet rs = st.executeQuery(sql.toString())) {
      int width = columns.size();
      while (rs.next()) {
        int[] type = new int[width];
        Object[] value = new Object[width];
        for (int i = 0; i < width; i++) {
          int c = 3 + 2 * i;
          switch (rs.getString(c - 1)) {
            case "integer" -> {
              type[i] = INTEGER;
              value[i] = rs.getLong(c);
            }
            case "real" -> {
              type[i] = REAL;
              value[i] = rs.getDouble(c);
            }
            case "text" -> {
              type[i] = TEXT;
              value[i] = rs.getBytes(c);
            }
            case "blob" -> {
              type[i] = BLOB;
              value[i] = rs.getBytes(c);
            }
            default -> type[i] = NULL;
          }
        }
        held.keys.add(rs.getString(1));
        held.types.add(type);
        held.values.add(value);
      }
    }
    return held;
  }

  int size() {
    return keys.size();
  }

  /** The current row's key as the capture logs it (null when a key column is NULL). */
  String key() {
    return keys.get(at);
  }

  /** The last row's key, for the next range. */
  String lastKey() {
    return keys.get(keys.size() - 1);
  }

  @Override
  public boolean next() {
    return ++at < keys.size();
  }

  @Override
  public int type(int i) {
    return types.get(at)[i];
  }

  @Override
  public long longValue(int i) {
    return (Long) values.get(at)[i];
  }

  @Override
  public double doubleValue(int i) {
    return (Double) values.get(at)[i];
  }

  @Override
  public byte[] bytes(int i) {
    byte[] b = (byte[]) values.get(at)[i];
    return b == null ? new byte[0] : b;
  }

  @Override
  public long rowid() {
    return Long.MIN_VALUE;
  }

  @Override
  public String rowKey() {
    return "key " + key();
  }

  @Override
  public void close() {}
}
