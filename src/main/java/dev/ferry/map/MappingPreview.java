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
 * @param tables one entry per {@code map:} entry, in ferry.yaml's order
 */
public record MappingPreview(List<Table> tables) {
  public MappingPreview {
    tables = List.copyOf(tables);
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
      List<String> problems) {
    public Table {
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

  /** True when no entry has a problem: the run would start. */
  public boolean ready() {
    return tables.stream().allMatch(t -> t.problems().isEmpty());
  }

  /** Every problem of every entry. */
  public List<String> problems() {
    return tables.stream().flatMap(t -> t.problems().stream()).toList();
  }

  /** The preview as plan, inspect and the dry run print it. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("Mapping (ferry.yaml map:) into your tables:");
    for (Table t : tables) {
      out.add("  " + t.source() + " → " + t.into() + trial(t));
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
      if (t.firstFailure() != null) {
        out.add("    would not convert, e.g. " + t.firstFailure());
      }
      t.problems().forEach(p -> out.add("    problem: " + p));
    }
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
