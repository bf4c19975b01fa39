package dev.ferry.map;

import java.util.List;
import java.util.Map;

/**
 * One entry of ferry.yaml's {@code map:}, as the user wrote it: where the rows of one source table
 * go in a schema the user designed.
 *
 * @param source the source table (a SQLite table or a file store's table)
 * @param intoSchema the target table's schema
 * @param intoTable the target table (it must exist unless {@code create} is true)
 * @param create create the target table when it is absent
 * @param columns source column → target column; a source column not named keeps its name
 * @param drop source columns deliberately not carried (listed in the report)
 * @param set target column → constant (as text: PostgreSQL's input syntax of the column's type)
 * @param transform source column → transform spec (h-conv's {@code Transforms.parse} reads it)
 * @param line the line in ferry.yaml, for messages
 */
public record TableMapping(
    String source,
    String intoSchema,
    String intoTable,
    boolean create,
    Map<String, String> columns,
    List<String> drop,
    Map<String, String> set,
    Map<String, Object> transform,
    int line) {
  public TableMapping {
    columns = Map.copyOf(columns);
    drop = List.copyOf(drop);
    set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
    transform = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(transform));
  }

  /**
   * True for an entry no ferry.yaml line wrote: {@code --if-exists append} into an existing table
   * whose columns differ from Ferry's plan ({@link Mappings#implicit}, line 0).
   */
  public boolean implicit() {
    return line == 0;
  }

  /** schema.table as the user wrote it, for messages. */
  public String into() {
    return intoSchema + "." + intoTable;
  }

  /** The target column a source column goes to (its own name when the mapping does not say). */
  public String targetOf(String sourceColumn) {
    for (Map.Entry<String, String> e : columns.entrySet()) {
      if (e.getKey().equalsIgnoreCase(sourceColumn)) {
        return e.getValue();
      }
    }
    return sourceColumn;
  }

  /** True when {@code sourceColumn} is listed under drop. */
  public boolean drops(String sourceColumn) {
    return drop.stream().anyMatch(d -> d.equalsIgnoreCase(sourceColumn));
  }
}
