package dev.ferry.source;

import java.util.List;
import java.util.Optional;

/**
 * A table as the source declares it.
 *
 * @param name name as written
 * @param columns columns in declaration order
 * @param primaryKeyName name of a declared PRIMARY KEY constraint, or null
 * @param checks CHECK constraints, column-level ones included
 * @param indexes indexes and the indexes of UNIQUE constraints
 * @param foreignKeys foreign keys
 * @param withoutRowid a WITHOUT ROWID table
 * @param autoincrement the rowid alias is AUTOINCREMENT
 * @param sequenceValue the table's sqlite_sequence value (AUTOINCREMENT high-water mark), or 0
 * @param sql the CREATE TABLE statement
 */
public record SourceTable(
    String name,
    List<SourceColumn> columns,
    String primaryKeyName,
    List<SourceCheck> checks,
    List<SourceIndex> indexes,
    List<SourceForeignKey> foreignKeys,
    boolean withoutRowid,
    boolean autoincrement,
    long sequenceValue,
    String sql) {

  /** Primary key columns in key order; empty when the table has none. */
  public List<SourceColumn> primaryKey() {
    return columns.stream()
        .filter(c -> c.primaryKeyOrdinal() > 0)
        .sorted(java.util.Comparator.comparingInt(SourceColumn::primaryKeyOrdinal))
        .toList();
  }

  public Optional<SourceColumn> column(String columnName) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
  }
}
