package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.LoadResult;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The loaded tables' verdicts, computed on a thread of their own while the keys stage runs.
 *
 * <p>Why: the keys stage (foreign keys, ANALYZE, views) is one server backend at a time, and the
 * Java side waits for it; the checksum query that verification sends next reads every stored value
 * again, on one backend too. On a 2-core machine the two take turns on one core while the other
 * idles. Neither changes what the other reads (foreign keys, statistics and views change no row,
 * and their locks do not conflict with a SELECT's), so the verdicts are the same as after the keys
 * stage. With {@code --jobs 1} (one backend at a time asked for) nothing is computed ahead: each
 * verdict is computed when asked for, as before.
 */
final class VerdictsAhead implements AutoCloseable {
  private final TableVerification verification;
  private final boolean appending;
  private final Map<TablePlan, LoadResult> loaded;
  private final Map<TablePlan, Future<TableVerification.Verdict>> ahead = new LinkedHashMap<>();
  private final ExecutorService worker;

  private VerdictsAhead(
      TableVerification verification,
      Map<TablePlan, LoadResult> loaded,
      boolean appending,
      boolean overlap) {
    this.verification = verification;
    this.loaded = loaded;
    this.appending = appending;
    this.worker =
        overlap
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "ferry-verify");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /**
   * Starts verifying every table of {@code plan} that {@code loaded} holds, in plan order, when
   * {@code overlap}; else verdicts are computed on demand.
   */
  static VerdictsAhead start(
      TableVerification verification,
      MigrationPlan plan,
      Map<TablePlan, LoadResult> loaded,
      boolean appending,
      boolean overlap) {
    VerdictsAhead v = new VerdictsAhead(verification, loaded, appending, overlap);
    if (overlap) {
      for (TablePlan t : plan.tables()) {
        if (loaded.containsKey(t)) {
          v.ahead.put(t, v.worker.submit(() -> v.compute(t)));
        }
      }
    }
    return v;
  }

  private TableVerification.Verdict compute(TablePlan t) {
    LoadResult r = loaded.get(t);
    return verification.afterLoad(t, r, r.sourceChecksum(), appending);
  }

  /** The verdict of a loaded table: waits for it when it is being computed ahead. */
  TableVerification.Verdict verdict(TablePlan t) {
    Future<TableVerification.Verdict> f = ahead.get(t);
    if (f == null) {
      return compute(t);
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while verifying", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re; // as the same verification on this thread would have thrown it
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new FerryException(ErrorCode.INTERNAL, "verification failed: " + cause, cause);
    }
  }

  /**
   * Stops what has not started and waits for a running verification to end, so that no query of
   * this run is still running when it records its outcome.
   */
  @Override
  public void close() {
    if (worker == null) {
      return;
    }
    worker.shutdownNow();
    boolean interrupted = false;
    while (true) { // a running checksum query is not interrupted: wait for it, however long
      try {
        if (worker.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
