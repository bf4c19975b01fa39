package dev.ferry.source;

import java.util.List;

/**
 * A FOREIGN KEY.
 *
 * @param name constraint name when declared, else null
 * @param columns referencing columns
 * @param parentTable referenced table
 * @param parentColumns referenced columns; empty means the parent's primary key
 * @param onUpdate SQLite action (NO ACTION, CASCADE, SET NULL, SET DEFAULT, RESTRICT)
 * @param onDelete SQLite action
 * @param deferred DEFERRABLE INITIALLY DEFERRED
 */
public record SourceForeignKey(
    String name,
    List<String> columns,
    String parentTable,
    List<String> parentColumns,
    String onUpdate,
    String onDelete,
    boolean deferred) {}
