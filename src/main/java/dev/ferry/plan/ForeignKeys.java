package dev.ferry.plan;

import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceForeignKey;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Plans FOREIGN KEYs once every table has a plan. SQLite does not enforce foreign keys unless the
 * application turned them on, so orphans are common: when PostgreSQL finds violating rows the key
 * is still created, as NOT VALID (enforced for new rows), and the report says so.
 */
final class ForeignKeys {
  private ForeignKeys() {}

  static TablePlan add(TablePlan plan, Map<String, TablePlan> tables, String schema) {
    List<DdlStep> keys = new ArrayList<>();
    List<Note> notes = new ArrayList<>(plan.notes());
    java.util.Set<String> designed = new java.util.HashSet<>();
    for (SourceForeignKey fk : plan.source().foreignKeys()) {
      String label =
          "FOREIGN KEY (" + String.join(", ", fk.columns()) + ") REFERENCES " + fk.parentTable();
      TablePlan parent = tables.get(Planner.key(fk.parentTable()));
      if (parent == null) {
        notes.add(
            new Note(
                "table " + plan.source().name() + ", " + label,
                "not created: " + fk.parentTable() + " is not part of this migration"));
        continue;
      }
      List<String> parentColumns =
          fk.parentColumns().isEmpty()
              ? parent.source().primaryKey().stream().map(SourceColumn::name).toList()
              : fk.parentColumns();
      List<String> child = targets(plan, fk.columns());
      List<String> referenced = targets(parent, parentColumns);
      if (child == null || referenced == null || child.size() != referenced.size()) {
        notes.add(
            Note.notCreated(
                "table " + plan.source().name() + ", " + label,
                "the referenced columns do not exist"));
        continue;
      }
      String sql =
          "ALTER TABLE "
              + plan.qualified()
              + " ADD FOREIGN KEY ("
              + String.join(", ", child)
              + ") REFERENCES "
              + parent.qualified()
              + " ("
              + String.join(", ", referenced)
              + ")"
              + action("DELETE", fk.onDelete())
              + action("UPDATE", fk.onUpdate())
              + (fk.deferred() ? " DEFERRABLE INITIALLY DEFERRED" : "");
      if (!designed.add(sql)) { // the same columns, parent, columns and actions: made once
        notes.add(Note.declaredTwice("table " + plan.source().name() + ", " + label));
        continue;
      }
      keys.add(new DdlStep(label, sql, sql + " NOT VALID"));
    }
    return new TablePlan(
        plan.source(),
        plan.schema(),
        plan.name(),
        plan.columns(),
        plan.rowCount(),
        plan.constraints(),
        keys,
        plan.identityRestart(),
        notes);
  }

  private static List<String> targets(TablePlan plan, List<String> sourceColumns) {
    List<String> out = new ArrayList<>();
    for (String s : sourceColumns) {
      ColumnPlan c = Planner.column(plan.columns(), s);
      if (c == null) {
        return null;
      }
      out.add(SqlText.ident(c.name()));
    }
    return out.stream().collect(Collectors.toList());
  }

  private static String action(String event, String action) {
    if (action == null || action.equalsIgnoreCase("NO ACTION") || action.isBlank()) {
      return "";
    }
    return " ON " + event + " " + action.toUpperCase(java.util.Locale.ROOT);
  }
}
