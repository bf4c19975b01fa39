package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.map.MappingPreview;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code --dry-run}: the plan (each column's type and why) and the DDL; nothing is written. */
final class DryRun {
  private DryRun() {}

  static RunReport print(
      MigrationPlan plan,
      List<String> rehearsed,
      PrintStream out,
      String sourceName,
      Map<String, Double> phases,
      long started,
      MappingPreview mapping) {
    out.println();
    out.println("-- Plan for " + sourceName + " (dry run: nothing is written)");
    for (TablePlan t : plan.tables()) {
      out.printf(
          "-- %s → %s.%s (%,d rows)%n", t.source().name(), plan.schema(), t.name(), t.rowCount());
      t.columns()
          .forEach(
              c ->
                  out.printf(
                      "--   %-24s %-18s %s%n", c.name(), c.type().sql(), c.choice().reason()));
      t.notes().forEach(n -> out.println("--   note: " + n));
    }
    plan.notes().forEach(n -> out.println("-- note: " + n));
    rehearsed.forEach(n -> out.println("-- note: " + n));
    if (mapping != null) {
      out.println();
      mapping.lines().forEach(l -> out.println("-- " + l));
    }
    out.println();
    out.print(Ddl.script(plan));
    List<TableResult> tables =
        new java.util.ArrayList<>(
            plan.tables().stream()
                .map(
                    t ->
                        new TableResult(
                            t.source().name(),
                            plan.schema() + "." + t.name(),
                            t.rowCount(),
                            0,
                            -1,
                            0,
                            0,
                            0,
                            0,
                            "DRY RUN",
                            t.notes().stream().map(Note::toString).toList()))
                .toList());
    if (mapping != null) {
      mapping.tables().forEach(t -> tables.add(mapped(t)));
    }
    boolean ready = mapping == null || mapping.ready();
    return new RunReport(
        null,
        sourceName,
        null,
        plan.schema(),
        true,
        (System.nanoTime() - started) / 1e9,
        phases,
        "none (dry run)",
        tables,
        plan.notes().stream().map(Note::toString).toList(),
        ready ? 0 : ErrorCode.USAGE.exitCode(),
        ready
            ? "Dry run: nothing was written."
            : "Dry run: nothing was written; ferry.yaml's map: has problems the run would stop"
                + " on (listed above).");
  }

  /** A mapped table as the dry run reports it: its columns, constants and problems as notes. */
  private static TableResult mapped(MappingPreview.Table t) {
    List<String> notes = new java.util.ArrayList<>();
    notes.add(
        "mapped into "
            + t.into()
            + (t.implicit()
                ? " (implicit: --if-exists append into a table whose columns differ)"
                : " (ferry.yaml map:)"));
    t.columns()
        .forEach(
            c ->
                notes.add(
                    c.source()
                        + " "
                        + c.stored()
                        + " → "
                        + c.target()
                        + " "
                        + c.type()
                        + ": "
                        + c.conversion()));
    t.constants().forEach(k -> notes.add("set: " + k));
    if (!t.dropped().isEmpty()) {
      notes.add("columns not carried (drop:): " + String.join(", ", t.dropped()));
    }
    t.foreignKeys().forEach(k -> notes.add("foreign key " + k));
    t.problems().forEach(p -> notes.add("problem: " + p));
    return new TableResult(
        t.source(),
        t.into(),
        t.sampledRows(),
        0,
        -1,
        0,
        t.failedRows(),
        0,
        0,
        t.problems().isEmpty() ? "DRY RUN" : "NOT READY",
        notes);
  }
}
