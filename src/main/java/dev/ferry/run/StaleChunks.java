package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.LoadedSoFar;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.SampledTable;
import dev.ferry.plan.TablePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables of a resumed run whose committed chunks were loaded under types its plan no longer
 * has, and which therefore load again from their first row.
 *
 * <p>Why this happens: a table whose types came from a sample commits chunks before its last row is
 * read (issue 12's one pass). A run killed after such a chunk resumes with the plan of a full
 * profile; when a value the interrupted run had not reached yet does not fit the sampled types,
 * that plan loads the table differently, and keeping its chunks would mix two plans in one table.
 * Each checkpoint records how its rows were loaded ({@link SampledTable#loading}); a table whose
 * record differs from its plan's is removed with its bookkeeping ({@code PostgresTarget.discard})
 * and loaded as if the interrupted run had never started it. Chunks recorded before this record
 * existed (NULL) are kept, as before: they were all loaded under a full profile.
 */
final class StaleChunks {
  private final List<TablePlan> stale;
  private final Map<String, LoadedSoFar> kept;

  private StaleChunks(List<TablePlan> stale, Map<String, LoadedSoFar> kept) {
    this.stale = stale;
    this.kept = kept;
  }

  /**
   * Sorts the interrupted run's checkpoints into those kept and the tables to load again. A table
   * to load again must be one the run created ({@code own}): a table it did not create is never
   * dropped, the run stops instead.
   */
  static StaleChunks of(MigrationPlan plan, Map<String, LoadedSoFar> committed, Set<String> own) {
    List<TablePlan> stale = new ArrayList<>();
    Map<String, LoadedSoFar> kept = new HashMap<>(committed);
    for (TablePlan t : plan.tables()) {
      LoadedSoFar soFar = committed.get(t.source().name());
      if (soFar == null
          || soFar.loading() == null
          || soFar.loading().equals(SampledTable.loading(t))) {
        continue;
      }
      if (!own.contains(t.name())) {
        throw new FerryException(
            ErrorCode.TARGET_CONFLICT,
            "table "
                + t.qualified()
                + " holds chunks loaded under other types than this run's plan gives, and the run"
                + " it resumes did not create it: nothing was changed");
      }
      stale.add(t);
      kept.remove(t.source().name());
    }
    return new StaleChunks(List.copyOf(stale), kept);
  }

  /** The checkpoints of the tables whose chunks are kept. */
  Map<String, LoadedSoFar> kept() {
    return kept;
  }

  /** Removes the stale tables (each in one transaction); says which. */
  void discard(dev.ferry.load.PostgresTarget target, java.util.UUID run, Say say) {
    for (TablePlan t : stale) {
      say.say(
          "Table "
              + t.source().name()
              + ": its committed chunks were loaded under types chosen from a sample that a later"
              + " value does not fit; loading it again from its first row");
      target.discard(run, t);
    }
  }

  /** Where a message goes. */
  interface Say {
    void say(String message);
  }
}
