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

  /**
   * The profile of a sample of {@code table} ({@link Sampling}) with its rowid span as the row
   * count, or null when the table must be profiled in full: small, without rowid, virtual, or with
   * a generated or NOCASE column (a generated column is not loaded, so the load cannot profile it;
   * a NOCASE column's type decides whether index names are taken, which other tables' names depend
   * on). A table loaded in several committed chunks is sampled too: a value that does not fit
   * removes what its earlier chunks committed before the table loads again (see {@code
   * load.TableLoader}).
   */
  static TableProfile sample(Source source, SourceTable table, Sampling sampling) {
    if (table.withoutRowid()
        || table.sql() == null
        || table.sql().toUpperCase(java.util.Locale.ROOT).contains("VIRTUAL TABLE")
        || table.columns().stream().anyMatch(c -> c.isGenerated() || "NOCASE".equals(c.collation()))
        || table.indexes().stream()
            .flatMap(i -> i.parts().stream())
            .anyMatch(p -> "NOCASE".equals(p.collation()))) {
      return null;
    }
    long[] range = source.rowidRange(table);
    if (range.length == 0) {
      return null;
    }
    long span = range[1] - range[0] + 1;
    if (span <= 0 // overflow: rowids spread over the whole 64-bit range
        || span < sampling.fromRows()) {
      return null;
    }
    TableProfile sample =
        profile(source, new Part(table, range[0], range[0] + sampling.headRows() - 1));
    for (int k = 1; k <= sampling.ranges(); k++) {
      long end = range[0] + (long) ((double) span * k / sampling.ranges()) - 1;
      long to = Math.min(range[1], end);
      long from = Math.max(range[0], to - sampling.rangeRows() + 1);
      sample = sample.merge(profile(source, new Part(table, from, to)));
    }
    return new TableProfile(span, sample.columns());
  }

  static TableProfile profile(Source source, Part part) {
    SourceTable table = part.table();
    ColumnProfile[] profiles = new ColumnProfile[table.columns().size()];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] = ColumnProfile.of(table.columns().get(i));
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
