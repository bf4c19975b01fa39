package dev.ferry.map;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.value.CatalogType;
import dev.ferry.value.CatalogType.Kind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ferry plan --into SCHEMA[.TABLE]}: a {@code map:} for an existing target, written so the
 * user edits instead of typing. Each source table goes into the target table of the same or a
 * similar name (or most of whose columns it has); columns match by name regardless of case and
 * underscores; a source column with no target column is listed under {@code drop:} with a comment
 * saying so; a NOT NULL target column nothing fills is listed under {@code set:} with an empty
 * value and a TODO (the check at start refuses it until it is filled); transforms are suggested
 * from the first rows (dates that are not ISO 8601 → {@code date:} with the pattern that reads them
 * all, epoch-looking numbers into a time column → {@code epoch_seconds}/{@code epoch_ms}, {@code
 * ''} where a number, boolean, date or JSON is expected → {@code empty_as_null}).
 */
final class MappingSkeleton {
  private MappingSkeleton() {}

  static String write(
      Source source,
      SourceSchema schema,
      TargetCatalog catalog,
      String intoSchema,
      String intoTable)
      throws SQLException {
    List<TargetTable> targets = new ArrayList<>();
    if (intoTable != null) {
      targets.add(
          catalog
              .table(intoSchema, intoTable)
              .orElseThrow(
                  () ->
                      new FerryException(
                          ErrorCode.USAGE,
                          "--into "
                              + intoSchema
                              + "."
                              + intoTable
                              + ": the target has no such table; create it first (your DDL)")));
    } else {
      for (String name : catalog.tableNames(intoSchema)) {
        catalog.table(intoSchema, name).ifPresent(targets::add);
      }
      if (targets.isEmpty()) {
        throw new FerryException(
            ErrorCode.USAGE,
            "--into "
                + intoSchema
                + ": the target has no tables in schema "
                + intoSchema
                + "; create your tables first, or name the schema they are in");
      }
    }
    StringBuilder out = new StringBuilder("map:\n");
    List<String> unmatched = new ArrayList<>();
    boolean single = schema.tables().size() == 1 && intoTable != null;
    for (SourceTable t : schema.tables()) {
      TargetTable best = single ? targets.get(0) : best(t, targets);
      if (best == null) {
        unmatched.add(t.name());
        continue;
      }
      entry(out, source, t, best);
    }
    if (!unmatched.isEmpty()) {
      out.append("# Not mapped (no table of a similar name or columns in ")
          .append(intoSchema)
          .append("): ")
          .append(String.join(", ", unmatched))
          .append(
              ".\n# They migrate into tables of Ferry's own; add an entry to load one into yours.\n");
    }
    return out.toString();
  }

  /** The target table whose name (then columns) match {@code t} best, or null when none does. */
  static TargetTable best(SourceTable t, List<TargetTable> targets) {
    TargetTable best = null;
    double bestScore = 0;
    for (TargetTable target : targets) {
      int name = nameScore(t.name(), target.name());
      double cols = columnShare(t, target);
      if (name == 0 && cols < 0.5) {
        continue;
      }
      double score = name + cols;
      if (score > bestScore) {
        best = target;
        bestScore = score;
      }
    }
    return best;
  }

  private static int nameScore(String a, String b) {
    String x = norm(a);
    String y = norm(b);
    if (x.equals(y)) {
      return 3;
    }
    if (singular(x).equals(singular(y))) {
      return 2;
    }
    return x.length() >= 3 && y.length() >= 3 && (x.contains(y) || y.contains(x)) ? 1 : 0;
  }

  private static double columnShare(SourceTable t, TargetTable target) {
    if (t.columns().isEmpty()) {
      return 0;
    }
    long matched = t.columns().stream().filter(c -> match(c.name(), target) != null).count();
    return (double) matched / t.columns().size();
  }

  private static void entry(StringBuilder out, Source source, SourceTable t, TargetTable target) {
    ValueSample sample = ValueSample.of(source, t);
    List<String[]> columns = new ArrayList<>();
    List<String[]> drop = new ArrayList<>();
    List<String[]> transforms = new ArrayList<>();
    Set<String> filled = new HashSet<>();
    for (SourceColumn c : t.columns()) {
      TargetColumn tc = match(c.name(), target);
      if (tc == null) {
        drop.add(new String[] {c.name(), "no target column: map or drop"});
        continue;
      }
      if (tc.generated()) {
        drop.add(
            new String[] {
              c.name(), tc.name() + " is computed by PostgreSQL (identity or generated)"
            });
        continue;
      }
      if (!filled.add(tc.name())) {
        drop.add(
            new String[] {
              c.name(), tc.name() + " is already filled by another column: map or drop"
            });
        continue;
      }
      if (!tc.name().equals(c.name())) {
        columns.add(new String[] {c.name(), tc.name()});
      }
      ValueSample.Column s = sample.column(c.name());
      String spec = suggest(s, tc.type());
      if (spec != null) {
        transforms.add(new String[] {c.name(), spec, s.stored() + " → " + tc.type().formatted()});
      }
    }
    out.append("  ").append(MappingYaml.key(t.name())).append(":");
    out.append(String.format(Locale.ROOT, "   # %,d rows sampled%n", sample.rows()));
    out.append("    into: ")
        .append(MappingYaml.key(target.schema() + "." + target.name()))
        .append('\n');
    if (!columns.isEmpty()) {
      out.append("    columns:   # source column: target column\n");
      columns.forEach(
          c ->
              out.append("      ")
                  .append(MappingYaml.key(c[0]))
                  .append(": ")
                  .append(MappingYaml.key(c[1]))
                  .append('\n'));
    }
    if (!drop.isEmpty()) {
      out.append("    drop:\n");
      drop.forEach(
          d ->
              out.append("      - ")
                  .append(MappingYaml.key(d[0]))
                  .append("   # ")
                  .append(d[1])
                  .append('\n'));
    }
    fills(out, target, filled, transforms);
  }

  /** The skeleton's set: (NOT NULL columns nothing fills, as TODOs) and transform: parts. */
  private static void fills(
      StringBuilder out, TargetTable target, Set<String> filled, List<String[]> transforms) {
    List<TargetColumn> unfilled = new ArrayList<>();
    for (TargetColumn c : target.columns()) {
      if (c.notNull() && !c.filledByServer() && !filled.contains(c.name())) {
        unfilled.add(c);
      }
    }
    if (!unfilled.isEmpty()) {
      out.append("    set:\n");
      unfilled.forEach(
          c ->
              out.append("      ")
                  .append(MappingYaml.key(c.name()))
                  .append(":   # TODO: NOT NULL ")
                  .append(c.type().formatted())
                  .append(" that nothing fills: write a constant, or map a source column to it\n"));
    }
    if (!transforms.isEmpty()) {
      out.append("    transform:   # suggested from the first rows\n");
      transforms.forEach(
          x ->
              out.append("      ")
                  .append(MappingYaml.key(x[0]))
                  .append(": ")
                  .append(x[1])
                  .append("   # ")
                  .append(x[2])
                  .append('\n'));
    }
  }

  /** The transform the sampled values need on the way into {@code type}, as YAML, or null. */
  static String suggest(ValueSample.Column s, CatalogType type) {
    CatalogType t = type;
    while (t.kind() == Kind.DOMAIN) {
      t = t.base();
    }
    Kind k = t.kind();
    boolean time = k == Kind.DATE || k == Kind.TIMESTAMP || k == Kind.TIMESTAMPTZ;
    boolean textual =
        k == Kind.TEXT || k == Kind.VARCHAR || k == Kind.CHAR || k == Kind.BYTEA || k == Kind.OTHER;
    List<String> steps = new ArrayList<>();
    if (s.empties > 0 && !textual) {
      steps.add("empty_as_null");
    }
    if (time) {
      String epoch = s.epochUnit();
      String pattern = s.datePattern();
      if (epoch != null) {
        steps.add(epoch);
      } else if (pattern != null) {
        steps.add("{date: " + MappingYaml.json(pattern) + "}");
      }
    }
    if (steps.isEmpty()) {
      return null;
    }
    return steps.size() == 1 ? steps.get(0) : "[" + String.join(", ", steps) + "]";
  }

  /** The target column {@code name} matches regardless of case and underscores, or null. */
  static TargetColumn match(String name, TargetTable target) {
    TargetColumn exact = target.column(name).orElse(null);
    if (exact != null) {
      return exact;
    }
    String n = norm(name);
    return target.columns().stream().filter(c -> norm(c.name()).equals(n)).findFirst().orElse(null);
  }

  private static String norm(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static String singular(String s) {
    if (s.endsWith("ies") && s.length() > 3) {
      return s.substring(0, s.length() - 3) + "y";
    }
    if (s.endsWith("es") && s.length() > 2 && (s.endsWith("ses") || s.endsWith("xes"))) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("s") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
