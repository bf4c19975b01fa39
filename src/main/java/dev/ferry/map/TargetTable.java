package dev.ferry.map;

import java.util.List;
import java.util.Optional;

/**
 * An existing target table: its columns in order, its primary key (empty when it has none) and its
 * foreign keys.
 */
public record TargetTable(
    String schema,
    String name,
    List<TargetColumn> columns,
    List<String> primaryKey,
    List<ForeignKey> foreignKeys) {
  public TargetTable {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    foreignKeys = List.copyOf(foreignKeys);
  }

  /** A table without foreign keys. */
  public TargetTable(
      String schema, String name, List<TargetColumn> columns, List<String> primaryKey) {
    this(schema, name, columns, primaryKey, List.of());
  }

  public Optional<TargetColumn> column(String columnName) {
    Optional<TargetColumn> exact =
        columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    return exact.isPresent()
        ? exact
        : columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
  }

  /** schema.table, quoted. */
  public String qualified() {
    return dev.ferry.sql.SqlText.qualified(schema, name);
  }

  /** schema.table, for messages. */
  public String display() {
    return schema + "." + name;
  }
}
