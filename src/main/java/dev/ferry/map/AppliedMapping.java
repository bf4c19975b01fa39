package dev.ferry.map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run did to one mapped source table's values on the way into the user's table, for the run
 * report (terminal, --report JSON): each source column with its target column and declared type,
 * the transform and the conversion applied (in the words plan and inspect use, {@link Previewer}),
 * the constants of {@code set:}, the columns deliberately dropped, and per source column how many
 * rows were set aside because its value did not fit (from ferry.rejects).
 *
 * @param into the target table (schema.table)
 * @param columns the source columns carried, each to its target column
 * @param constants target columns filled by {@code set:}, as {@code column = 'value' (type)}
 * @param dropped source columns deliberately not carried
 * @param setAsideByColumn per source column, the rows set aside because its value did not fit
 */
public record AppliedMapping(
    String into,
    List<Column> columns,
    List<String> constants,
    List<String> dropped,
    Map<String, Long> setAsideByColumn) {
  public AppliedMapping {
    columns = List.copyOf(columns);
    constants = List.copyOf(constants);
    dropped = List.copyOf(dropped);
    setAsideByColumn = Map.copyOf(setAsideByColumn);
  }

  /**
   * One source column carried.
   *
   * @param source the source column
   * @param target the target column
   * @param type its declared type
   * @param transform the transform applied first (ferry.yaml {@code transform:}), or null
   * @param conversion the conversion to the declared type, in words
   */
  public record Column(
      String source, String target, String type, String transform, String conversion) {}

  static AppliedMapping of(MappedTable t, Map<String, Long> setAside) {
    List<Column> columns = new ArrayList<>();
    List<String> constants = new ArrayList<>();
    for (MappedColumn c : t.columns()) {
      if (c.source() == null) {
        constants.add(Previewer.constant(c));
      } else {
        columns.add(
            new Column(
                c.source(),
                c.target().name(),
                c.target().type().formatted(),
                c.transform() != null ? c.transform().describe() : null,
                Previewer.words(c.target().type())));
      }
    }
    return new AppliedMapping(t.target().display(), columns, constants, t.dropped(), setAside);
  }

  /** The mapping as the report prints it under its source table. */
  @JsonIgnore
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    int w = columns.stream().mapToInt(c -> c.source().length()).max().orElse(4);
    for (Column c : columns) {
      out.add(
          String.format(
              Locale.ROOT,
              "%-" + w + "s  → %s %s: %s%s",
              c.source(),
              c.target(),
              c.type(),
              c.transform() != null ? "via " + c.transform() + "; then " : "",
              c.conversion()));
    }
    constants.forEach(k -> out.add("set: " + k));
    if (!dropped.isEmpty()) {
      out.add("dropped (not carried): " + String.join(", ", dropped));
    }
    setAsideByColumn.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.add(
                    String.format(
                        Locale.ROOT,
                        "set aside: %,d rows whose %s did not fit (in ferry.rejects)",
                        e.getValue(),
                        e.getKey())));
    return out;
  }
}
