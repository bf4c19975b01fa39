package dev.ferry.run;

import dev.ferry.load.LoadedSoFar;
import dev.ferry.load.RowEncoder;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.TableChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the rows an interrupted run committed are still what the source holds, by content: the
 * committed range of each table (every rowid up to the last committed chunk's, or the whole table
 * once its last chunk committed) is read again, encoded as the load encodes it, and its row count
 * and checksum compared with the checkpoints'. Size and modification time prove nothing (a file can
 * change and keep both).
 */
final class CommittedRows {
  private CommittedRows() {}

  /** One line per table whose committed rows differ from the source's rows now. */
  static List<String> changed(
      SqliteSource source,
      MigrationPlan plan,
      Map<String, LoadedSoFar> committed,
      BadValuePolicy policy) {
    List<String> changed = new ArrayList<>();
    for (TablePlan t : plan.tables()) {
      LoadedSoFar soFar = committed.get(t.source().name());
      if (soFar == null || (soFar.uptoRowid() == null && !soFar.last())) {
        continue;
      }
      String how = compare(source, t, soFar, policy);
      if (how != null) {
        changed.add("table " + t.source().name() + ": " + how);
      }
    }
    return changed;
  }

  private static String compare(
      SqliteSource source, TablePlan t, LoadedSoFar soFar, BadValuePolicy policy) {
    List<SourceColumn> columns = t.loadedColumns().stream().map(ColumnPlan::source).toList();
    RowEncoder encoder = new RowEncoder(t, policy);
    TableChecksum.Accumulator sums = new TableChecksum.Accumulator();
    long read = 0;
    try (RowCursor rows =
        soFar.last() || soFar.uptoRowid() == null // the last chunk runs to the table's end
            ? source.openRows(t.source(), columns)
            : source.openRows(t.source(), columns, Long.MIN_VALUE, soFar.uptoRowid())) {
      while (rows.next()) {
        read++;
        if (encoder.encode(rows)) {
          sums.add(encoder.hash());
        }
      }
    }
    if (read != soFar.read()) {
      return String.format(
          "%,d rows were committed from it, the source now has %,d there", soFar.read(), read);
    }
    if (soFar.checksum() != null && !soFar.checksum().equals(sums.result())) {
      return String.format("the values of the %,d rows committed from it differ", read);
    }
    return null;
  }
}
