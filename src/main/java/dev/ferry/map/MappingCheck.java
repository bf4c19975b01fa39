package dev.ferry.map;

import dev.ferry.FerryException;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.value.Conversion;
import dev.ferry.value.Transform;
import dev.ferry.value.Transforms;
import dev.ferry.value.ValueDoesNotFit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one {@code map:} entry against the source and the target's catalog and resolves it into a
 * {@link MappedTable}, or lists every problem, each naming the table and column and how to fix it:
 * a source column that goes nowhere (neither mapped, dropped, nor present in the target), a NOT
 * NULL target column without default that nothing fills, unknown tables and columns, two values for
 * one target column, a constant that does not fit its column.
 */
final class MappingCheck {
  private final List<String> problems = new ArrayList<>();

  List<String> problems() {
    return problems;
  }

  /** The resolved mapping, or null when it has problems (added to {@link #problems()}). */
  MappedTable resolve(TableMapping m, SourceSchema schema, TargetCatalog catalog)
      throws SQLException {
    int before = problems.size();
    String at =
        m.line() > 0
            ? "map." + m.source() + " (line " + m.line() + ")"
            : "--if-exists append of "
                + m.source()
                + " into "
                + m.into()
                + " (its columns differ from Ferry's plan, so it loads as a map: entry would;"
                + " write map: "
                + m.source()
                + " in ferry.yaml to say what to do)";
    SourceTable source = source(at, m, schema);
    TargetTable target = source == null ? null : target(at, m, catalog);
    if (target == null) {
      return null;
    }
    checkNamedSourceColumns(at, m, source);
    Resolved r = new Resolved();
    r.read.addAll(source.columns()); // all of them: ferry.rejects keeps whole rows, keys name rows
    mapSourceColumns(at, m, source, target, r);
    for (Map.Entry<String, String> e : m.set().entrySet()) {
      constant(at, target, e.getKey(), e.getValue(), r);
    }
    checkNotNullFilled(at, target, r.filledBy);
    return problems.size() == before
        ? new MappedTable(m, source, target, r.read, r.columns, r.dropped)
        : null;
  }

  /** What a mapping resolves into, gathered column by column. */
  private static final class Resolved {
    final List<SourceColumn> read = new ArrayList<>();
    final List<MappedColumn> columns = new ArrayList<>();
    final Map<String, String> filledBy = new LinkedHashMap<>();
    final List<String> dropped = new ArrayList<>();
  }

  private SourceTable source(String at, TableMapping m, SourceSchema schema) {
    Optional<SourceTable> found =
        schema.tables().stream().filter(t -> t.name().equalsIgnoreCase(m.source())).findFirst();
    if (found.isEmpty()) {
      problems.add(
          at
              + ": the source has no table '"
              + m.source()
              + "' (its tables: "
              + String.join(", ", schema.tables().stream().map(SourceTable::name).toList())
              + ")");
      return null;
    }
    return found.get();
  }

  private TargetTable target(String at, TableMapping m, TargetCatalog catalog) throws SQLException {
    Optional<TargetTable> into = catalog.table(m.intoSchema(), m.intoTable());
    if (into.isEmpty()) {
      problems.add(
          at
              + ": the target has no table "
              + m.into()
              + (m.create()
                  ? " (create: true is not supported yet: create the table first, e.g. from"
                      + " `ferry plan`'s V1__ferry_initial.sql)"
                  : "; create it first (your DDL), or check into: schema.table"));
      return null;
    }
    return into.get();
  }

  /** Each source column: dropped, or into the target column of its name or of columns:. */
  private void mapSourceColumns(
      String at, TableMapping m, SourceTable source, TargetTable target, Resolved r) {
    List<String> nowhere = new ArrayList<>();
    for (SourceColumn sc : source.columns()) {
      if (m.drops(sc.name())) {
        r.dropped.add(sc.name());
        continue;
      }
      String targetName = m.targetOf(sc.name());
      Optional<TargetColumn> tc = target.column(targetName);
      if (tc.isEmpty()) {
        if (targetName.equals(sc.name())) {
          nowhere.add(sc.name());
        } else {
          problems.add(
              at
                  + ": columns maps "
                  + sc.name()
                  + " to "
                  + targetName
                  + ", but "
                  + target.display()
                  + " has no such column (its columns: "
                  + names(target)
                  + ")");
        }
        continue;
      }
      if (!fill(at, r.filledBy, tc.get(), "source column " + sc.name())) {
        continue;
      }
      Transform transform = transform(m, sc.name());
      r.columns.add(
          new MappedColumn(
              tc.get(), sc.name(), r.read.size(), null, transform, Conversion.to(tc.get().type())));
      r.read.add(sc);
    }
    if (!nowhere.isEmpty()) {
      problems.add(
          at
              + ": source columns that go nowhere (not in "
              + target.display()
              + ", not mapped, not dropped): "
              + String.join(", ", nowhere)
              + ". Map each to a column of "
              + target.display()
              + " (columns: {"
              + nowhere.get(0)
              + ": TARGET_COLUMN}) or drop it (drop: ["
              + String.join(", ", nowhere)
              + "]); its columns: "
              + names(target));
    }
  }

  /** One constant of set:, checked against its target column's type and NOT NULL. */
  private void constant(String at, TargetTable target, String column, String value, Resolved r) {
    Optional<TargetColumn> tc = target.column(column);
    if (tc.isEmpty()) {
      problems.add(
          at
              + ": set names "
              + column
              + ", but "
              + target.display()
              + " has no such column (its columns: "
              + names(target)
              + ")");
      return;
    }
    if (!fill(at, r.filledBy, tc.get(), "set")) {
      return;
    }
    Conversion conversion = Conversion.to(tc.get().type());
    if (value == null && tc.get().notNull()) {
      problems.add(
          at
              + ": set "
              + column
              + " has no value, and "
              + target.display()
              + "."
              + column
              + " is NOT NULL: write the constant (a TODO of `ferry plan --into`?)");
      return;
    }
    try {
      conversion.copyText(value);
    } catch (ValueDoesNotFit bad) {
      problems.add(
          at
              + ": set "
              + column
              + ": '"
              + value
              + "' does not fit "
              + tc.get().type().formatted()
              + ": "
              + bad.getMessage());
      return;
    }
    r.columns.add(new MappedColumn(tc.get(), null, -1, value, null, conversion));
  }

  /** Columns, drop and transform name source columns that exist. */
  private void checkNamedSourceColumns(String at, TableMapping m, SourceTable source) {
    List<String> named = new ArrayList<>();
    m.columns().keySet().forEach(n -> named.add("columns: " + n));
    m.drop().forEach(n -> named.add("drop: " + n));
    m.transform().keySet().forEach(n -> named.add("transform: " + n));
    for (String n : named) {
      String column = n.substring(n.indexOf(": ") + 2);
      if (source.column(column).isEmpty()) {
        problems.add(
            at
                + ": "
                + n.substring(0, n.indexOf(':'))
                + " names "
                + column
                + ", which is not a column of source table "
                + source.name()
                + " (its columns: "
                + String.join(", ", source.columns().stream().map(SourceColumn::name).toList())
                + ")");
      }
    }
    for (String t : m.transform().keySet()) {
      if (m.drops(t)) {
        problems.add(at + ": transform of " + t + ", which drop also lists: keep one of the two");
      }
    }
  }

  /**
   * Records that {@code by} fills {@code column}; false (and a problem) when something else does.
   */
  private boolean fill(String at, Map<String, String> filledBy, TargetColumn column, String by) {
    if (column.generated()) {
      problems.add(
          at
              + ": "
              + column.name()
              + " is a generated or GENERATED ALWAYS identity column of the target, PostgreSQL"
              + " computes it: "
              + by
              + " cannot write it (drop the source column or map it elsewhere)");
      return false;
    }
    String earlier = filledBy.putIfAbsent(column.name(), by);
    if (earlier != null) {
      problems.add(
          at
              + ": target column "
              + column.name()
              + " is filled twice, by "
              + earlier
              + " and by "
              + by
              + "; keep one");
      return false;
    }
    return true;
  }

  private void checkNotNullFilled(String at, TargetTable target, Map<String, String> filledBy) {
    List<String> unfilled = new ArrayList<>();
    for (TargetColumn c : target.columns()) {
      if (c.notNull() && !c.filledByServer() && !filledBy.containsKey(c.name())) {
        unfilled.add(c.name());
      }
    }
    if (!unfilled.isEmpty()) {
      problems.add(
          at
              + ": "
              + target.display()
              + " columns NOT NULL without a default that nothing fills: "
              + String.join(", ", unfilled)
              + ". Fill each from a source column (columns: {SOURCE_COLUMN: "
              + unfilled.get(0)
              + "}) or a constant (set: {"
              + unfilled.get(0)
              + ": VALUE})");
    }
  }

  private Transform transform(TableMapping m, String sourceColumn) {
    for (Map.Entry<String, Object> e : m.transform().entrySet()) {
      if (e.getKey().equalsIgnoreCase(sourceColumn)) {
        try {
          return Transforms.parse(m.source(), sourceColumn, e.getValue());
        } catch (FerryException bad) {
          problems.add("map." + m.source() + " (line " + m.line() + "): " + bad.getMessage());
          return null;
        }
      }
    }
    return null;
  }

  private static String names(TargetTable t) {
    return String.join(", ", t.columns().stream().map(TargetColumn::name).toList());
  }
}
