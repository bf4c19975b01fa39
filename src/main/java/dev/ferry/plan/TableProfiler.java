package dev.ferry.plan;

import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceTable;
import java.util.List;

/** One streaming pass over a table: the row count and a {@link ColumnProfile} per column. */
final class TableProfiler {
  private TableProfiler() {}

  /** Tables with at least this many rowids are profiled in parallel parts. */
  static final long SPLIT_ROWS = 200_000;

  record TableProfile(long rows, List<ColumnProfile> columns) {
    TableProfile merge(TableProfile o) {
      for (int i = 0; i < columns.size(); i++) {
        columns.get(i).merge(o.columns.get(i));
      }
      return new TableProfile(rows + o.rows, columns);
    }
  }

  /** One part of a table to profile: all of it, or a rowid range. */
  record Part(SourceTable table, long fromRowid, long toRowid) {}

  /** Splits a big rowid table into {@code parts} rowid ranges; other tables are one part. */
  static List<Part> parts(Source source, SourceTable table, int parts) {
    long[] range = parts > 1 ? source.rowidRange(table) : new long[0];
    if (range.length == 0 || range[1] - range[0] < SPLIT_ROWS) {
      return java.util.List.of(new Part(table, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    List<Part> out = new java.util.ArrayList<>();
    long span = (range[1] - range[0]) / parts + 1;
    for (long from = range[0]; from <= range[1]; from += span) {
      out.add(new Part(table, from, Math.min(range[1], from + span - 1)));
    }
    return out;
  }

  static TableProfile profile(Source source, Part part) {
    SourceTable table = part.table();
    ColumnProfile[] profiles = new ColumnProfile[table.columns().size()];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] = new ColumnProfile();
    }
    long rows = 0;
    try (RowCursor cursor =
        part.fromRowid() == Long.MIN_VALUE
            ? source.openRows(table, table.columns())
            : source.openRows(table, table.columns(), part.fromRowid(), part.toRowid())) {
      while (cursor.next()) {
        rows++;
        for (int i = 0; i < profiles.length; i++) {
          profiles[i].add(cursor, i);
        }
      }
    }
    return new TableProfile(rows, List.of(profiles));
  }
}
