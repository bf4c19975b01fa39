package dev.ferry.source;

import java.util.List;

/**
 * A store Ferry reads: what plan, load and verify need from it, whatever it is made of. A source
 * describes itself ({@link #readSchema}) and streams the rows of one table, whole or by rowid
 * range, each value with its storage class and raw bytes ({@link RowCursor}). Every cursor is
 * independent, so tables (and ranges of one table) can be read by several threads at once.
 *
 * <p>Implementations report what goes wrong as {@code FerryException(SOURCE_UNREADABLE)} naming the
 * source, the table and what to do: callers never see a driver's exception.
 */
public interface Source {
  /** How the source is named in messages and reports (its file, absolute). */
  String name();

  /** Every table, column, constraint, index, foreign key, view and trigger it declares. */
  SourceSchema readSchema();

  /** A cursor over {@code columns} of {@code table}, in storage (rowid or key) order. */
  RowCursor openRows(SourceTable table, List<SourceColumn> columns);

  /**
   * A cursor over the rows of {@code table} whose rowid lies in [{@code fromRowid}, {@code
   * toRowid}]: lets one big table be read by several threads, or loaded in committed chunks.
   */
  RowCursor openRows(SourceTable table, List<SourceColumn> columns, long fromRowid, long toRowid);

  /**
   * The smallest and largest rowid of a rowid table ({@code long[0]} when empty or WITHOUT ROWID).
   */
  long[] rowidRange(SourceTable table);
}
