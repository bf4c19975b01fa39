package dev.ferry.run;

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
      long started) {
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
    out.println();
    out.print(Ddl.script(plan));
    List<TableResult> tables =
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
            .toList();
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
        0,
        "Dry run: nothing was written.");
  }
}
