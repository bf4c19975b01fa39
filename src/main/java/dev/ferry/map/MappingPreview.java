package dev.ferry.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What ferry.yaml's {@code map:} will do, for {@code ferry plan}, {@code ferry inspect} and {@code
 * migrate --dry-run}: per mapped source table, its target table, each source column with what it
 * stores (from the first rows) going to its target column and declared type with the transform and
 * conversion on the way, the constants of {@code set:}, the dropped columns, the target columns
 * their defaults fill, a trial conversion of the first rows, and the problems the check at start
 * would stop on. Nothing is changed to make it; it never stops on a problem, it lists it.
 *
 * @param tables one entry per {@code map:} entry, in ferry.yaml's order (then the implicit entries
 *     of {@code --if-exists append})
 * @param loadOrder the order the tables load in, one line per group: a table, or the tables of a
 *     foreign-key cycle loaded in one transaction
 * @param orderProblems cycles the run would stop on (a foreign key of the cycle not DEFERRABLE)
 */
public record MappingPreview(
    List<Table> tables, List<String> loadOrder, List<String> orderProblems) {
  public MappingPreview {
    tables = List.copyOf(tables);
    loadOrder = List.copyOf(loadOrder);
    orderProblems = List.copyOf(orderProblems);
  }

  /**
   * One mapped source table.
   *
   * @param source the source table
   * @param into the target table (schema.table)
   * @param columns source columns carried, each to its target column
   * @param constants target columns filled by {@code set:}, as {@code column = 'value'}
   * @param dropped source columns deliberately not carried
   * @param defaults target columns nothing writes that their default, identity or generation
   *     expression fills
   * @param leftNull nullable target columns nothing writes and no default fills: NULL
   * @param sampledRows how many of the source's first rows were converted on trial
   * @param failedRows how many of those would not convert (set aside, or fail the run)
   * @param firstFailure why the first of those would not, or null
   * @param problems what the check at start would stop on (empty when the entry is ready)
   * @param foreignKeys the target's foreign keys the mapping writes, each with when it is checked
   * @param implicit true for an entry no ferry.yaml line wrote: {@code --if-exists append} into an
   *     existing table whose columns differ from Ferry's plan
   */
  public record Table(
      String source,
      String into,
      List<Column> columns,
      List<String> constants,
      List<String> dropped,
      List<String> defaults,
      List<String> leftNull,
      long sampledRows,
      long failedRows,
      String firstFailure,
      List<String> problems,
      List<String> foreignKeys,
      boolean implicit) {
    public Table {
      foreignKeys = List.copyOf(foreignKeys);
      columns = List.copyOf(columns);
      constants = List.copyOf(constants);
      dropped = List.copyOf(dropped);
      defaults = List.copyOf(defaults);
      leftNull = List.copyOf(leftNull);
      problems = List.copyOf(problems);
    }
  }

  /**
   * One source column going to one target column.
   *
   * @param source the source column
   * @param stored what it stores in the sampled rows ({@code TEXT (RFC 1123 dates)})
   * @param target the target column
   * @param type the target's declared type ({@code format_type})
   * @param conversion the transform, then the conversion to the declared type, in words
   */
  public record Column(
      String source, String stored, String target, String type, String conversion) {}

  /** True when nothing has a problem: the run would start. */
  public boolean ready() {
    return problems().isEmpty();
  }

  /** Every problem of every entry, then those of the load order. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    tables.forEach(t -> out.addAll(t.problems()));
    out.addAll(orderProblems);
    return out;
  }

  /** The preview as plan, inspect and the dry run print it. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("Mapping (ferry.yaml map:) into your tables:");
    for (Table t : tables) {
      out.add(
          "  "
              + t.source()
              + " → "
              + t.into()
              + trial(t)
              + (t.implicit()
                  ? "  implicit: --if-exists append into a table whose columns differ"
                  : ""));
      int w = t.columns().stream().mapToInt(c -> c.source().length()).max().orElse(4);
      int s = t.columns().stream().mapToInt(c -> c.stored().length()).max().orElse(4);
      int tw =
          Math.max(
              t.columns().stream()
                  .mapToInt(c -> c.target().length() + c.type().length() + 1)
                  .max()
                  .orElse(4),
              1);
      for (Column c : t.columns()) {
        out.add(
            String.format(
                Locale.ROOT,
                "    %-" + w + "s  %-" + s + "s  → %-" + tw + "s  %s",
                c.source(),
                c.stored(),
                c.target() + " " + c.type(),
                c.conversion()));
      }
      t.constants().forEach(k -> out.add("    set: " + k));
      if (!t.dropped().isEmpty()) {
        out.add("    dropped (not carried): " + String.join(", ", t.dropped()));
      }
      if (!t.defaults().isEmpty()) {
        out.add("    filled by their defaults: " + String.join(", ", t.defaults()));
      }
      if (!t.leftNull().isEmpty()) {
        out.add("    left NULL (nothing fills them): " + String.join(", ", t.leftNull()));
      }
      t.foreignKeys().forEach(k -> out.add("    foreign key " + k));
      if (t.firstFailure() != null) {
        out.add("    would not convert, e.g. " + t.firstFailure());
      }
      t.problems().forEach(p -> out.add("    problem: " + p));
    }
    if (tables.size() > 1 && !loadOrder.isEmpty()) {
      out.add("  Load order: " + String.join(", then ", loadOrder));
    }
    orderProblems.forEach(p -> out.add("  problem: " + p));
    List<String> problems = problems();
    out.add(
        problems.isEmpty()
            ? "  Ready: the mapping passes the check at start."
            : String.format(
                Locale.ROOT,
                "  Not ready: %d %s the run would stop on (exit 1); fix ferry.yaml's map: and plan"
                    + " again.",
                problems.size(),
                problems.size() == 1 ? "problem" : "problems"));
    return out;
  }

  private static String trial(Table t) {
    if (!t.problems().isEmpty() && t.columns().isEmpty()) {
      return "";
    }
    if (t.sampledRows() == 0) {
      return "  (no rows)";
    }
    if (t.failedRows() == 0) {
      return String.format(Locale.ROOT, "  (first %,d rows: all convert)", t.sampledRows());
    }
    return String.format(
        Locale.ROOT,
        "  (first %,d rows: %,d would not convert and follow --on-bad-value)",
        t.sampledRows(),
        t.failedRows());
  }
}
