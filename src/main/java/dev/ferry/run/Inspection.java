package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.map.MappingPreview;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.PgType;
import dev.ferry.plan.Planner;
import dev.ferry.plan.StoredValues;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ferry inspect}: what each column declares, what it actually stores, the PostgreSQL type
 * Ferry would choose and why, and the anomalies worth a look ("priority: 499 integer, 1 text
 * ('high') → text"). Reads the source only; with ferry.yaml's {@code map:}, also the target's
 * catalog to show what the mapping will do ({@link MappingReview}).
 */
public final class Inspection {
  private final RunOptions options;
  private final PrintStream out;

  public Inspection(RunOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** A column as inspect reports it. */
  public record ColumnReport(
      String name,
      String declared,
      Map<String, Long> stored,
      String type,
      String reason,
      String anomaly) {}

  /** A table as inspect reports it. */
  public record TableReport(
      String name, long rows, List<ColumnReport> columns, List<String> notes) {}

  /**
   * The whole report, as --json writes it; {@code mapping} is ferry.yaml's {@code map:} as it will
   * run (null without one).
   */
  public record Report(
      String source, List<TableReport> tables, List<String> notes, MappingPreview mapping) {
    /** False when the mapping has problems the run would stop on. */
    public boolean ready() {
      return mapping == null || mapping.ready();
    }
  }

  public Report run(boolean json) {
    SqliteSource source = options.openSource();
    SourceSchema schema = source.readSchema();
    MigrationPlan plan = Planner.plan(source, schema, options.planOptions());
    List<TableReport> tables = new ArrayList<>();
    for (TablePlan t :
        plan.tables().stream()
            .sorted(java.util.Comparator.comparing(x -> x.source().name()))
            .toList()) {
      List<ColumnReport> columns = new ArrayList<>();
      for (ColumnPlan c : t.columns()) {
        StoredValues s = c.choice().stored();
        Map<String, Long> stored = new LinkedHashMap<>();
        if (s != null) {
          put(stored, "integer", s.integers());
          put(stored, "real", s.reals());
          put(stored, "text", s.texts());
          put(stored, "blob", s.blobs());
          put(stored, "null", s.nulls());
        }
        columns.add(
            new ColumnReport(
                c.source().name(),
                c.source().declaredType(),
                stored,
                c.type().sql(),
                c.choice().reason(),
                anomaly(c, s)));
      }
      tables.add(
          new TableReport(
              t.source().name(),
              t.rowCount(),
              columns,
              t.notes().stream().map(Note::toString).toList()));
    }
    Report report =
        new Report(
            StagedInputs.named(options),
            tables,
            plan.notes().stream().map(Note::toString).toList(),
            MappingReview.preview(
                options, source, schema, System.getenv(), json ? line -> {} : out::println));
    if (json) {
      try {
        out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      print(report);
    }
    return report;
  }

  private static void put(Map<String, Long> m, String k, long v) {
    if (v > 0) {
      m.put(k, v);
    }
  }

  /** Null when the column stores what it declares; else one line saying what is odd. */
  static String anomaly(ColumnPlan c, StoredValues s) {
    if (s == null) {
      return null;
    }
    String name = c.source().name();
    if (s.repairs() > 0) {
      return String.format(
          Locale.ROOT,
          "%s: %,d values PostgreSQL cannot hold as stored → %s, repaired or set aside on load",
          name,
          s.repairs(),
          c.type().sql());
    }
    boolean numericOnly = s.texts() == 0 && s.blobs() == 0;
    boolean mixed = s.classes() > 1 && !numericOnly;
    String declared = c.source().declaredType().toUpperCase(Locale.ROOT);
    boolean numericDeclared =
        declared.contains("INT")
            || declared.contains("REAL")
            || declared.contains("FLOA")
            || declared.contains("DOUB")
            || declared.contains("NUM")
            || declared.contains("DEC");
    boolean textInNumeric = numericDeclared && c.type().isText() && s.texts() > 0;
    boolean realsInInteger = declared.contains("INT") && s.reals() > 0 && !c.identity();
    if (!mixed && !textInNumeric && !realsInInteger) {
      return null;
    }
    String example =
        s.exampleText() != null
                && c.type().kind() == PgType.Kind.TEXT
                && s.texts() < s.integers() + s.reals()
            ? " (e.g. '" + s.exampleText() + "')"
            : "";
    return name
        + ": "
        + s.summary().replace(", " + String.format(Locale.ROOT, "%,d null", s.nulls()), "")
        + example
        + " → "
        + c.type().sql();
  }

  private void print(Report r) {
    out.println("Inspection of " + r.source());
    for (TableReport t : r.tables()) {
      out.printf(Locale.ROOT, "%n%s (%,d rows)%n", t.name(), t.rows());
      int w = Math.max(6, t.columns().stream().mapToInt(c -> c.name().length()).max().orElse(6));
      String row = "  %-" + w + "s  %-14s  %-34s  %s%n";
      out.printf(Locale.ROOT, row, "column", "declared", "stored", "→ PostgreSQL (why)");
      List<String> anomalies = new ArrayList<>();
      for (ColumnReport c : t.columns()) {
        String stored =
            c.stored().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                .reduce((a, b) -> a + ", " + b)
                .orElse("no rows");
        String why =
            c.reason().contains("→ ")
                ? c.reason().substring(c.reason().indexOf("→ ") + 2)
                : c.reason();
        out.printf(
            Locale.ROOT,
            row,
            c.name(),
            c.declared().isBlank() ? "(none)" : c.declared(),
            stored,
            "→ " + c.type() + "  (" + why + ")");
        if (c.anomaly() != null) {
          anomalies.add(c.anomaly());
        }
      }
      if (!anomalies.isEmpty()) {
        out.println("  anomalies:");
        anomalies.forEach(a -> out.println("    " + a));
      }
      if (!t.notes().isEmpty()) {
        out.println("  not carried exactly:");
        t.notes().forEach(n -> out.println("    " + n));
      }
    }
    if (!r.notes().isEmpty()) {
      out.println();
      r.notes().forEach(n -> out.println("note: " + n));
    }
    if (r.mapping() != null) {
      out.println();
      r.mapping().lines().forEach(out::println);
    }
  }
}
