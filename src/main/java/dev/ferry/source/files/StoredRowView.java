package dev.ferry.source.files;

import dev.ferry.source.RowCursor;
import dev.ferry.source.StoredRows;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A row {@link StagingTable} has just stored, seen as a cursor over the stored row would show it
 * ({@link StoredRows.Row}): each value with the storage class SQLite gave it and its bytes. Staged
 * columns have no declared type, so SQLite stores what was bound: a Long as INTEGER, a Double as
 * REAL, a String as its UTF-8 (as the driver encodes it: {@code String.getBytes(UTF_8)}), the
 * generator's bytes as the text they are ({@code CAST(? AS TEXT)}). Only the key columns Ferry adds
 * have a declared type, and there the bound class must be the one the type keeps as it is; {@link
 * #exact} says when a row is not so (SQLite would convert a value), and the table is then reported
 * changed instead of seen.
 */
final class StoredRowView implements StoredRows.Row {
  /** A column's affinity, from the type declared in its DDL (see {@link #affinity}). */
  static final byte NONE = 0;

  static final byte INTEGER = 1;
  static final byte TEXT = 2;
  static final byte OTHER = 3;

  private Object[] row;
  private boolean plain;

  /** The affinity SQLite gives a column declared {@code ddl} ("" for none), of those Ferry uses. */
  static byte affinity(String ddl) {
    String t = ddl.trim();
    int space = t.indexOf(' ');
    String type = (space < 0 ? t : t.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    return switch (type) {
      case "" -> NONE;
      case "INTEGER", "INT" -> INTEGER;
      case "TEXT" -> TEXT;
      default -> OTHER;
    };
  }

  /**
   * True when SQLite stores every value of {@code row} as bound: no NaN (stored as NULL), and in a
   * declared column only its own class (an INTEGER column's Long, a TEXT column's text).
   */
  static boolean exact(Object[] row, List<StagedColumn> columns) {
    for (int i = 0; i < row.length; i++) {
      Object v = row[i];
      if (v == null) {
        continue;
      }
      if (v instanceof Double d && d.isNaN()) {
        return false;
      }
      byte a = i < columns.size() ? columns.get(i).affinity : OTHER;
      boolean kept =
          switch (a) {
            case NONE -> true;
            case INTEGER -> v instanceof Long;
            case TEXT -> v instanceof String || StagingTable.isUtf8(v);
            default -> false;
          };
      if (!kept) {
        return false;
      }
    }
    return true;
  }

  /** Shows {@code stored}, whose record was plain JSON when {@code plainRecord}. */
  StoredRowView of(Object[] stored, boolean plainRecord) {
    this.row = stored;
    this.plain = plainRecord;
    return this;
  }

  @Override
  public boolean plainJson(int i) {
    return plain && StagingTable.isUtf8(row[i]);
  }

  @Override
  public int type(int i) {
    Object v = i < row.length ? row[i] : null;
    if (v == null) {
      return RowCursor.NULL;
    }
    if (v instanceof Long) {
      return RowCursor.INTEGER;
    }
    if (v instanceof Double) {
      return RowCursor.REAL;
    }
    return RowCursor.TEXT;
  }

  @Override
  public long longValue(int i) {
    return (Long) row[i];
  }

  @Override
  public double doubleValue(int i) {
    return (Double) row[i];
  }

  @Override
  public byte[] bytes(int i) {
    Object v = row[i];
    return v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : StagingTable.utf8(v);
  }
}
