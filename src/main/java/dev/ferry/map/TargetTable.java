package dev.ferry.map;

import java.util.List;
import java.util.Optional;

/** An existing target table: its columns in order and its primary key (empty when it has none). */
public record TargetTable(
    String schema, String name, List<TargetColumn> columns, List<String> primaryKey) {
  public TargetTable {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
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
