package dev.ferry.run;

import dev.ferry.plan.PlanDraft;
import dev.ferry.plan.Planner;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.sqlite.SqliteSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The source's side of a new run's start, on a thread of its own while the main thread connects to
 * the target, takes the run's lease and looks for an interrupted run: the snapshot (the backup
 * copy), the schema and the plan's draft read from that snapshot, exactly as the main thread would
 * make them for a run that resumes nothing. Measured on the 2-core machine (1M example), the two
 * sides were 0.5–0.6 s (connect, lease, previous run) and 1.2 s (copy, schema, sample) one after
 * the other on one thread.
 *
 * <p>It is taken ({@link #take}) only when the run turns out to be new; when it resumes one, or the
 * main thread stops first (the target unreachable, the lease held, --resume refused), it is {@link
 * #discard}ed: its backup copy removed, its messages never printed, its failure (if any) not the
 * run's. The main thread's refusals thus keep their order before the source's, and a refused run
 * leaves no copy and touches nothing in the target (this thread never connects to it). Messages are
 * kept and printed by the main thread when it takes the result, in the order they had before (and
 * when it fails, before its error). A discarded thread stops after the copy or the schema read,
 * whichever it is in; the main thread waits for that before it removes the copy. Not started for
 * --resume nor when every row is profiled (--profile full, --if-exists truncate or append): a
 * refused or resuming run would wait for that whole pass.
 */
final class SourceAhead {
  /**
   * What the thread made: the snapshot, its schema and the draft, with their times and messages.
   */
  record Ready(
      Snapshot snapshot,
      SourceSchema schema,
      PlanDraft draft,
      double backupDone,
      double planSeconds,
      List<String> said) {}

  private final CompletableFuture<Ready> work = new CompletableFuture<>();
  private final List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Snapshot made;
  private volatile boolean cancelled;

  private SourceAhead() {}

  /**
   * Starts making the snapshot and draft of a new run {@code runId} (sampled as a new run is: with
   * --profile, unless --if-exists truncate or append needs the full profile).
   */
  static SourceAhead start(
      RunOptions options, SqliteSource source, UUID runId, String sourceName, long started) {
    SourceAhead ahead = new SourceAhead();
    Thread t =
        new Thread(
            () -> {
              try {
                ahead.work.complete(ahead.make(options, source, runId, sourceName, started));
              } catch (Throwable e) { // handed to the main thread, which decides
                ahead.work.completeExceptionally(e);
              }
            },
            "ferry-source-ahead");
    t.start();
    return ahead;
  }

  private Ready make(
      RunOptions options, SqliteSource source, UUID runId, String sourceName, long started) {
    Snapshot snapshot = Snapshot.of(options, source, null, runId, sourceName, said::add);
    made = snapshot;
    double backupDone = (System.nanoTime() - started) / 1e9;
    if (cancelled) {
      return null;
    }
    SourceSchema schema = snapshot.reading.readSchema();
    said.add(Migration.planning(sourceName, schema));
    if (cancelled) {
      return null;
    }
    long t0 = System.nanoTime();
    PlanDraft draft =
        Planner.draft(
            snapshot.reading, schema, options.planOptions(), Migration.sampling(options, false));
    return new Ready(
        snapshot, schema, draft, backupDone, (System.nanoTime() - t0) / 1e9, List.copyOf(said));
  }

  /**
   * The snapshot and draft for the new run, waiting for them; the thread's failure is thrown as it
   * was (its backup copy removed first: nothing was recorded).
   */
  Ready take(java.util.function.Consumer<String> say) {
    try {
      return work.get();
    } catch (ExecutionException e) {
      removeCopy();
      said.forEach(say); // what it did before it failed, as the main thread would have said it
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard();
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.INTERNAL, "interrupted while reading the source", e);
    }
  }

  /** Not used: stops after the copy, waits for the thread and removes what it made. */
  void discard() {
    cancelled = true;
    try {
      work.join();
    } catch (RuntimeException e) {
      // not the run's failure: the run stopped for another reason, or resumes another snapshot
    }
    removeCopy();
  }

  private void removeCopy() {
    Snapshot s = made;
    if (s != null) {
      s.discard();
    }
  }
}
