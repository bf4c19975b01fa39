package dev.ferry.plan;

import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;

/** One streaming pass over a table: the row count and a {@link ColumnProfile} per column. */
final class TableProfiler {
  private TableProfiler() {}

  record TableProfile(long rows, ColumnProfile[] columns) {}

  static TableProfile profile(SqliteSource source, SourceTable table) {
    ColumnProfile[] profiles = new ColumnProfile[table.columns().size()];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] = new ColumnProfile();
    }
    long rows = 0;
    try (RowCursor cursor = source.openRows(table, table.columns())) {
      while (cursor.next()) {
        rows++;
        for (int i = 0; i < profiles.length; i++) {
          profiles[i].add(cursor, i);
        }
      }
    }
    return new TableProfile(rows, profiles);
  }
}
