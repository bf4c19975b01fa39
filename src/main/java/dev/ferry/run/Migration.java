package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.DdlRehearsal;
import dev.ferry.load.IfExists;
import dev.ferry.load.LoadOptions;
import dev.ferry.load.LoadResult;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.plan.ViewPlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.TableChecksum;
import dev.ferry.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
 * One {@code ferry migrate}: the package's entry point. Plan once (profiling every table), load
 * tables in parallel (each with its keys and indexes right after its data), then foreign keys and
 * views, then verify, report and record. Exit codes are in {@link ErrorCode}.
 */
public final class Migration {
  private final RunOptions options;
  private final PrintStream out;
  private final Map<String, String> env;
  private final boolean quiet;
  private final Map<String, Double> phases = new LinkedHashMap<>();
  private final StagedInputs staged;

  public Migration(RunOptions options, PrintStream out, Map<String, String> env, boolean quiet) {
    this.options = options;
    this.out = out;
    this.env = env;
    this.quiet = quiet;
    this.staged = StagedInputs.of(options.source());
  }

  public RunReport run() {
    long started = System.nanoTime();
    SqliteSource source = SqliteSource.open(options.source());
    if (options.dryRun()) {
      return planned(source, UUID.randomUUID(), started, null, null, null);
    }
    TargetUrl url = TargetUrl.resolve(options.target(), env);
    if (url == null) {
      EmbeddedServer server = EmbeddedServer.in(options.workDir());
      url = server.start();
      say(
          "Target: embedded PostgreSQL %s (data in %s)",
          EmbeddedServer.postgresVersion(), server.dataDirectory());
    }
    try (PostgresTarget target = PostgresTarget.connect(url, options.jobs() + 1)) {
      RunStore.Interrupted previous =
          options.ifExists() == IfExists.FAIL
              ? RunStore.interrupted(target, sourceName(), options.schema())
              : null;
      if (options.resume() && previous == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "nothing to resume: the last run of "
                + sourceName()
                + " into schema "
                + options.schema()
                + " finished (ferry runs lists them)");
      }
      UUID runId = previous != null ? previous.run() : UUID.randomUUID();
      Backup backup = null;
      SqliteSource reading = source;
      String copy = null;
      if (previous != null) {
        say(
            "Resuming run %s (%s since %s UTC): tables it finished are kept, the others loaded",
            runId, previous.state(), previous.startedAt());
        if (previous.backupCopy() != null) {
          Path old = Path.of(previous.backupCopy());
          if (!java.nio.file.Files.exists(old)) {
            throw new FerryException(
                ErrorCode.USAGE,
                "run "
                    + runId
                    + " read the backup "
                    + old
                    + ", which is gone: resuming from another snapshot could mix data; start over with"
                    + " --if-exists drop");
          }
          reading = SqliteSource.open(old);
          copy = old.toString();
        } else if (!sourceStamp().equals(previous.sourceStamp())) {
          throw new FerryException(
              ErrorCode.USAGE,
              sourceName()
                  + " changed since run "
                  + runId
                  + " was interrupted ("
                  + previous.sourceStamp()
                  + ", now "
                  + sourceStamp()
                  + ") and that run"
                  + " read it directly (--no-backup): resuming would mix two versions; start over with --if-exists drop");
        }
      } else if (options.backup()) {
        Path dir =
            options.backupDir() != null
                ? options.backupDir().resolve(runId.toString())
                : options.workDir().resolve(".ferry").resolve("backups").resolve(runId.toString());
        backup = Backup.take(source, dir);
        say("Backup: %s (one consistent snapshot; the run reads this copy)", backup.copy());
        reading = SqliteSource.open(backup.copy());
        copy = backup.copy().toString();
        phases.put("backup", (System.nanoTime() - started) / 1e9);
      }
      try {
        return planned(reading, runId, started, target, previous, copy);
      } finally {
        if (backup != null) {
          backup.writeManifest(runId);
        }
      }
    }
  }

  private RunReport planned(
      SqliteSource source,
      UUID runId,
      long started,
      PostgresTarget target,
      RunStore.Interrupted previous,
      String copy) {
    SourceSchema schema = source.readSchema();
    say(
        "Planning %s: %d tables, %d views",
        sourceName(), schema.tables().size(), schema.views().size());
    long planStarted = System.nanoTime();
    MigrationPlan plan = Planner.plan(source, schema, options.planOptions());
    phases.put("plan", (System.nanoTime() - planStarted) / 1e9);
    if (options.dryRun()) {
      return dryRun(plan, started);
    }
    if (plan.tables().isEmpty() && options.priority() != null) {
      String message =
          "Nothing of priority "
              + options.priority()
              + " in "
              + sourceName()
              + ": nothing was changed.";
      say("%s", message);
      return new RunReport(
          runId.toString(),
          sourceName(),
          null,
          plan.schema(),
          false,
          (System.nanoTime() - started) / 1e9,
          phases,
          "none",
          List.of(),
          List.of(),
          0,
          message);
    }
    return load(source, plan, target, started, runId, previous, copy);
  }

  private RunReport load(
      SqliteSource source,
      MigrationPlan plan,
      PostgresTarget target,
      long started,
      UUID runId,
      RunStore.Interrupted previous,
      String copy) {
    long loadStarted = System.nanoTime();
    java.util.Set<String> finished =
        previous != null ? RunStore.objects(target, runId) : java.util.Set.of();
    Map<String, dev.ferry.load.LoadedSoFar> committed =
        previous != null ? RunStore.checkpoints(target, runId) : Map.of();
    if (options.ifExists() == IfExists.FAIL) {
      List<String> names = new ArrayList<>();
      plan.tables().forEach(t -> names.add(t.name()));
      plan.views().forEach(v -> names.add(v.name()));
      List<String> existing = new ArrayList<>(target.existing(plan.schema(), names));
      existing.removeAll(finished); // the interrupted run's own tables and views
      if (!existing.isEmpty()) {
        throw new FerryException(
            ErrorCode.TARGET_CONFLICT,
            "schema "
                + plan.schema()
                + " of "
                + target.url().display()
                + " already has "
                + String.join(", ", existing)
                + "; nothing was changed. Use --if-exists drop|truncate|append, or --schema NAME for another schema");
      }
    }
    if (options.ifExists() == IfExists.TRUNCATE && previous == null) {
      target.truncate(plan.tables()).forEach(n -> say("%s", n));
    }
    RunStore store = new RunStore(target);
    if (previous != null) {
      store.resume(runId);
    } else {
      store.begin(runId, sourceName(), plan.schema(), Version.current(), optionsForRecord(copy));
    }
    say(
        "Run %s: loading %d tables into %s (schema %s), %d at a time",
        runId, plan.tables().size(), target.url().display(), plan.schema(), options.jobs());
    target.createSchema(plan.schema(), runId);

    Map<TablePlan, LoadResult> loaded = new LinkedHashMap<>();
    FerryException failure = null;
    String failedTable = null;
    ExecutorService pool = Executors.newFixedThreadPool(options.jobs());
    try (Progress progress = Progress.forConsole(out, quiet)) {
      // priority groups in order: every P0 table is loaded before any P1 table starts
      for (String level : dev.ferry.config.FerryConfig.LEVELS) {
        if (failure != null) {
          break;
        }
        Map<TablePlan, Future<LoadResult>> futures = new LinkedHashMap<>();
        for (TablePlan t : plan.tables()) {
          if (!options.planOptions().priority().apply(t.source().name()).equals(level)) {
            continue;
          }
          dev.ferry.load.LoadedSoFar soFar = committed.get(t.source().name());
          if (soFar != null && soFar.last()) {
            futures.put(t, pool.submit(() -> resumed(t, source, target, soFar)));
            continue;
          }
          futures.put(
              t,
              pool.submit(
                  () -> {
                    progress.start(t.source().name(), t.rowCount());
                    try {
                      LoadOptions how =
                          new LoadOptions(
                              options.ifExists(),
                              options.verify() != Verifier.Mode.COUNT
                                  && options.ifExists() != IfExists.APPEND,
                              options.badValues(),
                              runId,
                              options.chunkRows());
                      return soFar != null
                          ? target.resume(
                              t,
                              how,
                              source,
                              rows -> progress.update(t.source().name(), rows),
                              soFar)
                          : target.load(
                              t, how, source, rows -> progress.update(t.source().name(), rows));
                    } finally {
                      progress.done(t.source().name());
                    }
                  }));
        }
        for (var e : futures.entrySet()) {
          try {
            loaded.put(e.getKey(), e.getValue().get());
          } catch (ExecutionException ex) {
            if (failure == null) {
              failure = asFerry(ex.getCause());
              failedTable = e.getKey().source().name();
              futures.values().forEach(f -> f.cancel(false));
            }
          } catch (java.util.concurrent.CancellationException ex) {
            // not started after an earlier failure
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            failure = new FerryException(ErrorCode.INTERNAL, "interrupted", ex);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }

    long keysStarted = System.nanoTime();
    phases.put("load", (keysStarted - loadStarted) / 1e9);
    List<String> runNotes = new ArrayList<>(staged.notes);
    plan.notes().forEach(n -> runNotes.add(n.toString()));
    Map<TablePlan, List<Note>> keyNotes = new LinkedHashMap<>();
    if (failure == null) {
      for (TablePlan t : plan.tables()) {
        List<dev.ferry.plan.DdlStep> steps = new ArrayList<>(t.foreignKeys());
        // fresh statistics: the first queries on the new tables get sane plans
        steps.add(
            new dev.ferry.plan.DdlStep(
                "statistics (ANALYZE)",
                "ANALYZE "
                    + dev.ferry.sql.SqlText.ident(plan.schema())
                    + "."
                    + dev.ferry.sql.SqlText.ident(t.name()),
                null));
        keyNotes.put(t, target.runSteps("table " + t.source().name(), steps, previous != null));
      }
      runNotes.addAll(createViews(target, plan, runId));
    }

    long verifyStarted = System.nanoTime();
    phases.put("keys", (verifyStarted - keysStarted) / 1e9);
    List<TableResult> results = new ArrayList<>();
    boolean mismatch = false;
    boolean repaired = false;
    for (TablePlan t : plan.tables()) {
      LoadResult r = loaded.get(t);
      if (r == null) {
        boolean failed = t.source().name().equals(failedTable);
        results.add(
            new TableResult(
                t.source().name(),
                plan.schema() + "." + t.name(),
                0,
                0,
                -1,
                0,
                0,
                0,
                0,
                failed ? "FAILED" : "NOT LOADED",
                failed ? List.of(failure.getMessage()) : List.of()));
        continue;
      }
      VerifiedTable v = verify(source, target, t, r);
      mismatch |= !v.ok;
      List<String> notes = new ArrayList<>();
      long early = staged.setAside(t.source().name());
      if (early > 0) {
        notes.add(
            String.format(
                "%,d lines set aside while reading the file (not valid JSON or a repeated key);"
                    + " originals in ferry.rejects",
                early));
      }
      t.notes().forEach(n -> notes.add(n.toString()));
      r.notes().forEach(n -> notes.add(n.toString()));
      keyNotes.getOrDefault(t, List.of()).forEach(n -> notes.add(n.toString()));
      notes.addAll(v.notes);
      results.add(
          new TableResult(
              t.source().name(),
              plan.schema() + "." + t.name(),
              r.rowsRead() + early,
              r.rowsWritten(),
              v.inTarget,
              r.fixed(),
              r.setAside() + early,
              r.bytes(),
              r.nanos() / 1e9,
              v.ok ? verdict(v.verdict, r, early) : "MISMATCH",
              notes));
      repaired |= r.fixed() > 0 || r.setAside() > 0 || early > 0;
    }
    phases.put("verify", (System.nanoTime() - verifyStarted) / 1e9);
    double seconds = (System.nanoTime() - started) / 1e9;
    int exit;
    String state;
    String message;
    if (failure != null) {
      exit = failure.code().exitCode();
      state = "failed";
      message =
          "FAILED: table "
              + failedTable
              + ": "
              + failure.getMessage()
              + "\nTables already loaded are listed above; rerun with --if-exists drop to start over.";
    } else if (mismatch) {
      exit = ErrorCode.VERIFICATION_FAILED.exitCode();
      state = "verification_failed";
      message =
          "VERIFICATION FAILED: the target's row counts differ from the source (see MISMATCH above).";
    } else if (repaired) {
      exit = ErrorCode.ROWS_SET_ASIDE.exitCode();
      state = "succeeded_with_fixes";
      message =
          String.format(
              "FINISHED WITH REPAIRS: %,d values repaired and %,d rows set aside, each kept verbatim"
                  + " in ferry.fixups / ferry.rejects (run %s); everything else "
                  + verifiedWhat()
                  + ".",
              results.stream().mapToLong(TableResult::rowsFixed).sum(),
              results.stream().mapToLong(TableResult::rowsSetAside).sum(),
              runId);
    } else {
      exit = 0;
      state = "succeeded";
      message =
          String.format(
              "OK: %,d rows in %d tables, " + verifiedWhat() + " on both sides.",
              results.stream().mapToLong(TableResult::rowsRead).sum(),
              results.size());
    }
    for (TableResult r : results) {
      store.table(runId, r);
    }
    if (previous == null) {
      staged.record(store, runId);
    }
    store.finish(runId, state, exit, message);
    RunReport report =
        new RunReport(
            runId.toString(),
            sourceName(),
            target.url().display(),
            plan.schema(),
            false,
            seconds,
            phases,
            verifiedWhat(),
            results,
            runNotes,
            exit,
            message);
    finishReport(report);
    if (failure == null) {
      say("Connect: psql %s", target.url().display());
    }
    return report;
  }

  /**
   * A table whose data the interrupted run committed: not loaded again. Its steps run again (those
   * the interrupted run finished count as done), its source side is read again from the same backup
   * copy for the checksum, and its fixups and rejects are those already recorded.
   */
  private LoadResult resumed(
      TablePlan t, SqliteSource source, PostgresTarget target, dev.ferry.load.LoadedSoFar soFar) {
    long t0 = System.nanoTime();
    TableChecksum sum = soFar.checksum();
    if (sum == null
        && options.verify() != Verifier.Mode.COUNT) { // loaded without one: read the copy again
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

  /** VERIFIED, or what was done to make the data fit: FIXED n, SET ASIDE n. */
  private static String verdict(String verified, LoadResult r, long early) {
    List<String> parts = new ArrayList<>();
    if (r.fixed() > 0) {
      parts.add(String.format("FIXED %,d", r.fixed()));
    }
    if (r.setAside() + early > 0) {
      parts.add(String.format("SET ASIDE %,d", r.setAside() + early));
    }
    return parts.isEmpty() ? verified : String.join(", ", parts);
  }

  /** The outcome of verifying one table. */
  private record VerifiedTable(boolean ok, String verdict, long inTarget, List<String> notes) {}

  /**
   * Counts always; with checksum or full, the target's checksum against the one computed while
   * reading the source; with full, a row-by-row comparison naming the keys that differ.
   */
  private VerifiedTable verify(
      SqliteSource source, PostgresTarget target, TablePlan t, LoadResult r) {
    List<String> notes = new ArrayList<>();
    long inTarget = target.count(t.qualified());
    long loadable = r.rowsRead() - r.setAside();
    long expected = r.rowsBefore() + loadable;
    boolean ok = inTarget == expected && r.rowsWritten() == loadable;
    if (!ok) {
      notes.add(
          String.format(
              "row count mismatch: read %,d, set aside %,d, COPY stored %,d, target holds %,d (expected %,d)",
              r.rowsRead(), r.setAside(), r.rowsWritten(), inTarget, expected));
    }
    if (r.fixed() > 0) {
      notes.add(String.format("%,d values loaded repaired; originals in ferry.fixups", r.fixed()));
    }
    if (r.setAside() > 0) {
      notes.add(String.format("%,d rows set aside; originals in ferry.rejects", r.setAside()));
    }
    Verifier.Mode mode = options.verify();
    if (mode == Verifier.Mode.COUNT) {
      return new VerifiedTable(ok, "VERIFIED (count)", inTarget, notes);
    }
    TableChecksum here = r.sourceChecksum();
    if (here == null && r.rowsBefore() == 0 && options.ifExists() != IfExists.APPEND) {
      here =
          Verifier.checksum(
              source, t, options.badValues()); // not computed while loading: read the copy
    }
    if (here == null) {
      notes.add(
          "checksum not compared: the table held rows before this run (--if-exists append); counts compared");
      return new VerifiedTable(ok, "VERIFIED (count)", inTarget, notes);
    }
    TableChecksum there = Verifier.checksum(target, t);
    boolean same = there.equals(here);
    if (!same && ok) {
      notes.add("checksum mismatch: the rows' values differ between source and target");
    }
    ok &= same;
    if (mode == Verifier.Mode.FULL && (!ok || options.verify() == Verifier.Mode.FULL)) {
      Verifier.Differences d = Verifier.compareRows(source, target, t, options.badValues());
      if (d.count() > 0) {
        ok = false;
        notes.add(String.format("%,d rows differ%s", d.count(), d.keys().isEmpty() ? "" : ":"));
        d.keys().forEach(k -> notes.add("  " + k));
      }
    }
    return new VerifiedTable(
        ok, mode == Verifier.Mode.FULL ? "VERIFIED (rows)" : "VERIFIED", inTarget, notes);
  }

  private List<String> createViews(PostgresTarget target, MigrationPlan plan, UUID runId) {
    List<String> notes = new ArrayList<>();
    List<ViewPlan> pending = new ArrayList<>();
    for (ViewPlan v : plan.views()) {
      if (v.sql() != null) {
        pending.add(v);
      }
    }
    // views may depend on views: retry until a round creates nothing new
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
        break;
      }
      pending = failed;
    }
    return notes;
  }

  private RunReport dryRun(MigrationPlan plan, long started) {
    List<String> rehearsed = DdlRehearsal.check(TargetUrl.resolve(options.target(), env), plan);
    out.println();
    out.println("-- Plan for " + sourceName() + " (dry run: nothing is written)");
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
    RunReport report =
        new RunReport(
            null,
            sourceName(),
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
    writeJson(report);
    return report;
  }

  /** The source file's size and modification time, to notice a change between attempts. */
  private String sourceStamp() {
    try {
      return java.nio.file.Files.size(options.source())
          + " bytes, modified "
          + java.nio.file.Files.getLastModifiedTime(options.source());
    } catch (java.io.IOException e) {
      return "unreadable";
    }
  }

  /** The source as the user named it (the run may read a backup copy of it). */
  private String sourceName() {
    return staged.origin != null
        ? staged.origin
        : options.source().toAbsolutePath().normalize().toString();
  }

  private String verifiedWhat() {
    return switch (options.verify()) {
      case COUNT -> "row counts verified";
      case CHECKSUM -> "row counts and checksums of every value verified";
      case FULL -> "every row compared by key and verified";
    };
  }

  private void finishReport(RunReport report) {
    ReportPrinter.print(report, out);
    writeJson(report);
  }

  private void writeJson(RunReport report) {
    if (options.report() == null) {
      return;
    }
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(options.report().toFile(), report);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot write the report to " + options.report() + ": " + e.getMessage(),
          e);
    }
  }

  private Map<String, Object> optionsForRecord(String copy) {
    return options.forRecord(copy, sourceStamp());
  }

  private static FerryException asFerry(Throwable t) {
    if (t instanceof FerryException fe) {
      return fe;
    }
    return new FerryException(ErrorCode.INTERNAL, "unexpected " + t, t);
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      out.printf(format + "%n", args);
    }
  }
}
