package dev.ferry.plan;

import dev.ferry.source.SourceTable;
import dev.ferry.sql.SqlText;
import java.util.List;

/**
 * Everything Ferry will do for one source table.
 *
 * @param source the source table
 * @param schema target schema
 * @param name target table name
 * @param columns target columns, in source order
 * @param rowCount rows counted by the profiling scan
 * @param constraints primary key, unique and check constraints and indexes, built after the load
 * @param foreignKeys foreign keys, added once every table is loaded
 * @param identityRestart next identity value, or 0 when the table has no identity column
 * @param notes what could not be carried exactly
 */
public record TablePlan(
    SourceTable source,
    String schema,
    String name,
    List<ColumnPlan> columns,
    long rowCount,
    List<DdlStep> constraints,
    List<DdlStep> foreignKeys,
    long identityRestart,
    List<Note> notes) {

  /** schema.table, quoted. */
  public String qualified() {
    return SqlText.qualified(schema, name);
  }

  public List<ColumnPlan> loadedColumns() {
    return columns.stream().filter(ColumnPlan::loaded).toList();
  }
}
