package dev.ferry.map;

import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceTable;
import java.util.List;

/**
 * A mapping checked against the source and the target's catalog: what one source table's rows
 * become in an existing target table.
 *
 * @param mapping what the user wrote
 * @param source the source table
 * @param target the target table
 * @param read the source columns read, in the order {@link MappedColumn#sourceIndex} counts
 * @param columns the target columns written, in order
 * @param dropped the source columns deliberately not carried
 */
public record MappedTable(
    TableMapping mapping,
    SourceTable source,
    TargetTable target,
    List<SourceColumn> read,
    List<MappedColumn> columns,
    List<String> dropped) {
  public MappedTable {
    read = List.copyOf(read);
    columns = List.copyOf(columns);
    dropped = List.copyOf(dropped);
  }

  /** True when rows this run inserts can be named by the target's primary key. */
  public boolean keyed() {
    return !target.primaryKey().isEmpty();
  }

  /** True when the mapping writes target column {@code targetColumn}. */
  boolean writes(String targetColumn) {
    return columns.stream().anyMatch(c -> c.target().name().equals(targetColumn));
  }

  /** The written target columns, quoted and comma-separated. */
  String columnList() {
    return String.join(
        ", ", columns.stream().map(c -> dev.ferry.sql.SqlText.ident(c.target().name())).toList());
  }
}
