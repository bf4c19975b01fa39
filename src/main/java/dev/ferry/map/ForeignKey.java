package dev.ferry.map;

import java.util.List;

/**
 * A foreign key of an existing target table, as its catalog declares it.
 *
 * @param name the constraint's name
 * @param columns the referencing columns, in the constraint's order
 * @param parentSchema the referenced table's schema
 * @param parentTable the referenced table
 * @param parentColumns the referenced columns, in the same order
 * @param deferrable DEFERRABLE: it can be checked at commit instead of at each statement
 */
public record ForeignKey(
    String name,
    List<String> columns,
    String parentSchema,
    String parentTable,
    List<String> parentColumns,
    boolean deferrable) {
  public ForeignKey {
    columns = List.copyOf(columns);
    parentColumns = List.copyOf(parentColumns);
  }

  /** The referenced table, schema.table, for messages and to compare with mapped targets. */
  public String parentDisplay() {
    return parentSchema + "." + parentTable;
  }

  /** The referenced table, quoted. */
  String parentQualified() {
    return dev.ferry.sql.SqlText.qualified(parentSchema, parentTable);
  }
}
