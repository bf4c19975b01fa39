package dev.ferry.run;

import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.DdlStep;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import dev.ferry.plan.ViewPlan;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What follows the data once every table is loaded: foreign keys (they need both ends), fresh
 * statistics (ANALYZE, so the first queries get sane plans), then views (retried until a round
 * creates nothing new, so views over views work).
 */
final class PostLoad {
  /**
   * What the steps left to say.
   *
   * @param tableNotes per table, the keys and statistics steps that were not done as planned
   * @param viewNotes why each view that is not created is not
   * @param viewsNotCreated the source names of views the target does not have
   */
  record Done(
      Map<TablePlan, List<Note>> tableNotes,
      List<String> viewNotes,
      List<String> viewsNotCreated) {}

  private PostLoad() {}

  static Done run(PostgresTarget target, MigrationPlan plan, UUID runId, boolean resuming) {
    Map<TablePlan, List<Note>> tableNotes = new LinkedHashMap<>();
    for (TablePlan t : plan.tables()) {
      List<DdlStep> steps = new ArrayList<>(t.foreignKeys());
      steps.add(
          new DdlStep(
              "statistics (ANALYZE)",
              "ANALYZE " + SqlText.qualified(plan.schema(), t.name()),
              null));
      tableNotes.put(t, target.runSteps("table " + t.source().name(), steps, resuming));
    }
    List<String> viewNotes = new ArrayList<>();
    List<String> notCreated = new ArrayList<>();
    for (ViewPlan v : plan.views()) {
      if (v.sql() == null) {
        notCreated.add(v.sourceName()); // no translation: the plan's notes say why
      }
    }
    for (ViewPlan v : createViews(target, plan, runId, viewNotes)) {
      notCreated.add(v.sourceName());
    }
    return new Done(tableNotes, viewNotes, notCreated);
  }

  /** Creates the views, retrying those that failed while a round makes progress; the rest. */
  private static List<ViewPlan> createViews(
      PostgresTarget target, MigrationPlan plan, UUID runId, List<String> notes) {
    List<ViewPlan> pending = new ArrayList<>();
    for (ViewPlan v : plan.views()) {
      if (v.sql() != null) {
        pending.add(v);
      }
    }
    while (!pending.isEmpty()) {
      List<ViewPlan> failed = new ArrayList<>();
      List<Note> lastErrors = new ArrayList<>();
      for (ViewPlan v : pending) {
        Note n =
            target.createView("view " + v.sourceName(), v.sql(), runId, plan.schema(), v.name());
        if (n != null) {
          failed.add(v);
          lastErrors.add(n);
        }
      }
      if (failed.size() == pending.size()) {
        lastErrors.forEach(n -> notes.add(n.toString()));
        return failed;
      }
      pending = failed;
    }
    return List.of();
  }
}
