package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.load.IfExists;
import dev.ferry.load.LoadOptions;
import dev.ferry.load.LoadResult;
import dev.ferry.load.LoadedSoFar;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.TableChecksum;
import dev.ferry.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The load's tasks: tables in priority groups (every P0 table finishes before a P1 table starts),
 * {@code --jobs} at a time; a table an interrupted run finished is not loaded again, a table it
 * left partial goes on after its last committed chunk. The first failure stops what has not started
 * and later groups, and waits for the tables already loading: each commits or rolls back before the
 * run is recorded and its lease released, and a table that committed is reported as loaded, never
 * as NOT LOADED.
 */
final class Scheduler {
  /**
   * What the load did.
   *
   * @param results the tables loaded, in plan order
   * @param failure the first failure, or null
   * @param failedTable the source table that failed, or null
   */
  record Loaded(Map<TablePlan, LoadResult> results, FerryException failure, String failedTable) {
    /**
     * The same results keyed by the tables of {@code plan} (by source name): the plan as finished
     * by a one-pass load, whose table plans replace the sampled ones.
     */
    Loaded under(MigrationPlan plan) {
      Map<TablePlan, LoadResult> out = new LinkedHashMap<>();
      for (TablePlan t : plan.tables()) {
        results.forEach(
            (was, r) -> {
              if (was.source().name().equals(t.source().name())) {
                out.put(t, r);
              }
            });
      }
      return new Loaded(out, failure, failedTable);
    }
  }

  private final RunOptions options;
  private final PostgresTarget target;
  private final SqliteSource source;
  private final UUID runId;
  private final Map<String, LoadedSoFar> committed;
  private final dev.ferry.plan.PlanDraft draft;
  private final java.util.concurrent.atomic.AtomicBoolean stopped =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** A table not started because an earlier one failed. */
  private static final class NotStarted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotStarted() {
      super(null, null, false, false);
    }
  }

  Scheduler(
      RunOptions options,
      PostgresTarget target,
      SqliteSource source,
      UUID runId,
      Map<String, LoadedSoFar> committed,
      dev.ferry.plan.PlanDraft draft) {
    this.draft = draft;
    this.options = options;
    this.target = target;
    this.source = source;
    this.runId = runId;
    this.committed = committed;
  }

  Loaded run(MigrationPlan plan, Progress progress) {
    Map<TablePlan, LoadResult> loaded = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(options.jobs());
    try {
      for (String level : FerryConfig.LEVELS) {
        Map<TablePlan, Future<LoadResult>> group = new LinkedHashMap<>();
        for (TablePlan t : plan.tables()) {
          if (options.planOptions().priority().apply(t.source().name()).equals(level)) {
            group.put(t, pool.submit(() -> task(t, progress)));
          }
        }
        Loaded failed = collect(group, loaded);
        if (failed != null) {
          return failed;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Loaded(loaded, null, null);
  }

  /** Waits for a group; on the first failure stops what has not started and returns it. */
  private Loaded collect(
      Map<TablePlan, Future<LoadResult>> group, Map<TablePlan, LoadResult> loaded) {
    FerryException failure = null;
    String failedTable = null;
    for (var e : group.entrySet()) {
      try {
        loaded.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof NotStarted) {
          continue; // not started after an earlier failure
        }
        if (failure == null) {
          failure = asFerry(ex.getCause());
          failedTable = e.getKey().source().name();
          stopped.set(true); // the rest of the group is awaited: a running load ends first
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        failure = new FerryException(ErrorCode.INTERNAL, "interrupted", ex);
      }
    }
    return failure == null ? null : new Loaded(loaded, failure, failedTable);
  }

  /** One table's task: loaded whole, resumed after its committed chunks, or kept as committed. */
  private LoadResult task(TablePlan t, Progress progress) {
    if (stopped.get()) {
      throw new NotStarted();
    }
    String name = t.source().name();
    LoadedSoFar soFar = committed.get(name);
    if (soFar != null && soFar.last()) {
      return kept(t, soFar);
    }
    progress.start(name, t.rowCount());
    try {
      LoadOptions how =
          new LoadOptions(
              options.ifExists(),
              options.verify() != Verifier.Mode.COUNT && options.ifExists() != IfExists.APPEND,
              options.badValues(),
              runId,
              options.chunkRows());
      dev.ferry.plan.SampledTable sampled = draft.sampled(t);
      if (soFar != null) {
        return target.resume(t, how, source, rows -> progress.update(name, rows), soFar);
      }
      return sampled != null
          ? target.load(t, how, source, rows -> progress.update(name, rows), sampled)
          : target.load(t, how, source, rows -> progress.update(name, rows));
    } finally {
      progress.done(name);
    }
  }

  /**
   * A table whose data the interrupted run committed: not loaded again. Its steps run again (those
   * the interrupted run finished count as done), its source side is read again from the same backup
   * copy for the checksum, and its fixups and rejects are those already recorded.
   */
  private LoadResult kept(TablePlan t, LoadedSoFar soFar) {
    long t0 = System.nanoTime();
    TableChecksum sum = soFar.checksum();
    if (sum == null && options.verify() != Verifier.Mode.COUNT) { // loaded without one: read again
      sum = Verifier.checksum(source, t, options.badValues());
    }
    List<Note> notes =
        new ArrayList<>(target.runSteps("table " + t.source().name(), t.constraints(), true));
    return new LoadResult(
        soFar.read(),
        soFar.written(),
        0,
        soFar.fixed(),
        soFar.setAside(),
        soFar.bytes(),
        System.nanoTime() - t0,
        sum,
        notes);
  }

  private static FerryException asFerry(Throwable t) {
    if (t instanceof FerryException fe) {
      return fe;
    }
    return new FerryException(ErrorCode.INTERNAL, "unexpected " + t, t);
  }
}
