package dev.ferry.source;

/**
 * A forward-only cursor over a table's rows that exposes each value with its storage class, so that
 * type inference and encoding see exactly what is stored. Values are only valid until the next call
 * to {@link #next()}.
 */
public interface RowCursor extends AutoCloseable {
  int NULL = 0;
  int INTEGER = 1;
  int REAL = 2;
  int TEXT = 3;
  int BLOB = 4;

  /** Advances to the next row; false at the end. */
  boolean next();

  /** Storage class of column {@code i} (0-based) in the current row: one of the constants. */
  int type(int i);

  long longValue(int i);

  double doubleValue(int i);

  /** The raw bytes of a TEXT (UTF-8 as stored, possibly invalid) or BLOB value. */
  byte[] bytes(int i);

  /** The current row's rowid, or Long.MIN_VALUE for a table without one. */
  long rowid();

  /** Key of the current row for messages ("rowid 42", "id=7"). */
  String rowKey();

  @Override
  void close();
}
