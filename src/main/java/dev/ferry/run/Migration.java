package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.IfExists;
import dev.ferry.load.LoadResult;
import dev.ferry.load.LoadedSoFar;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Note;
import dev.ferry.plan.PlanDraft;
import dev.ferry.plan.Planner;
import dev.ferry.plan.Sampling;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One {@code ferry migrate}: the package's entry point. A short orchestration over the stages of
 * {@link Stage}: choose what to read ({@link Snapshot}), plan, check, record the run, load the
 * tables ({@link Scheduler}), keys and views ({@link PostLoad}), verify ({@link
 * TableVerification}), then commit the outcome ({@link Outcome}) to ferry.runs and the report. Exit
 * codes are in {@link ErrorCode}.
 *
 * <p>Why over 500 lines: it is the one orchestration of a run, stage by stage, each a short method;
 * the stages' work is in their own classes (Scheduler, PostLoad, VerdictsAhead, MappedStage,
 * RunStore).
 */
public final class Migration {
  private final RunOptions options;
  private final PrintStream out;
  private final Map<String, String> env;
  private final boolean quiet;
  private final Map<String, Double> phases = new LinkedHashMap<>();
  private final StagedInputs staged;
  private boolean recorded;
  private SourceSchema sourceSchema;
  private PlanDraft drafted; // the draft made ahead with a new run's snapshot, or null
  private Stage stage = Stage.SCHEMA; // where a recorded run is, for the outcome of a failure

  public Migration(RunOptions options, PrintStream out, Map<String, String> env, boolean quiet) {
    this.options = options;
    this.out = out;
    this.env = env;
    this.quiet = quiet;
    this.staged = StagedInputs.of(options);
  }

  /**
   * Starts loading the libraries a migration uses on a thread of its own (see {@link Warmup}):
   * called by {@code ferry migrate}'s entry point before it parses the command line.
   */
  public static void warmUp() {
    Warmup.start();
  }

  /** Waits until the warmed libraries are ready (at once when {@link #warmUp} was not called). */
  public static void awaitWarmUp() {
    Warmup.awaitLibraries();
  }

  public RunReport run() {
    long started = System.nanoTime();
    ReportFile.check(options.report());
    Long keepDays = (Long) options.get(RunSetting.KEEP_BACKUPS);
    Duration retention = keepDays != null ? Duration.ofDays(keepDays) : BackupRetention.keep(env);
    SqliteSource source = options.openSource();
    if (options.dryRun()) {
      MigrationPlan full = plan(source);
      // map: is shown against the target's catalog; its tables are not Ferry's own
      MappingReview.DryRunMapping reviewed =
          MappingReview.forDryRun(options, source, sourceSchema, full, env, s -> say("%s", s));
      dev.ferry.map.MappingPreview mapping = reviewed.mapping();
      MigrationPlan plan = reviewed.plan();
      // a reachable target rehearses the DDL (rolled back); none: only Ferry's known limits
      List<String> rehearsed =
          dev.ferry.load.DdlRehearsal.check(TargetUrl.resolve(options.target(), env), plan);
      RunReport report = DryRun.print(plan, rehearsed, out, sourceName(), phases, started, mapping);
      ReportFile.write(options.report(), report);
      return report;
    }
    TargetUrl url = Targets.resolve(options.target(), options.workDir(), env, this::say);
    UUID newRunId = UUID.randomUUID();
    // the source's side (copy, schema, draft) on another thread while this one checks the target;
    // not when the user asks to resume (the run will most likely read the interrupted run's copy),
    // nor when every row is profiled (a long pass a refused or resuming run would wait for)
    SourceAhead ahead =
        options.resume() || sampling(options, false).equals(Sampling.FULL)
            ? null
            : SourceAhead.start(options, source, newRunId, sourceName(), started);
    boolean taken = false; // the source's side was used or discarded
    try (RunLease.Opening session = RunLease.opening(url); // while the pool connects
        PostgresTarget target = PostgresTarget.connect(url, options.jobs() + 1);
        RunLease lease = RunLease.take(target, sourceName(), options.schema(), session)) {
      RunStore.LastRun previous = previousRun(target);
      UUID runId = previous != null ? previous.run() : newRunId;
      pruneBackups(target, retention, newRunId);
      Snapshot snapshot;
      if (previous == null && ahead != null) {
        taken = true;
        snapshot = fromAhead(ahead.take(s -> say("%s", s)));
      } else {
        if (ahead != null) {
          taken = true;
          ahead.discard(); // resuming: the interrupted run's snapshot is read
        }
        snapshot = Snapshot.of(options, source, previous, runId, sourceName(), s -> say("%s", s));
        if (snapshot.isNewBackup()) {
          phases.put(Stage.BACKUP.phase(), (System.nanoTime() - started) / 1e9);
        }
      }
      RunReport report;
      try {
        report = migrate(new RunContext(runId, target, lease, snapshot, previous, started));
      } catch (RuntimeException e) {
        if (!recorded) {
          snapshot.discard(); // refused before anything was recorded: no run will read it
        } else {
          keepManifest(snapshot, runId, e); // a failed run resumes from this copy
        }
        throw e;
      }
      if (recorded) {
        snapshot.finish(runId);
      } else {
        snapshot.discard();
      }
      return report;
    } finally {
      if (ahead != null && !taken) {
        ahead.discard(); // this run stopped first, or resumes another snapshot
      }
    }
  }

  /** The snapshot the source's thread made, its messages and times as if made here. */
  private Snapshot fromAhead(SourceAhead.Ready ready) {
    ready.said().forEach(s -> say("%s", s));
    if (ready.snapshot().isNewBackup()) {
      phases.put(Stage.BACKUP.phase(), ready.backupDone());
    }
    phases.put(Stage.PLAN.phase(), ready.planSeconds());
    sourceSchema = ready.schema();
    drafted = ready.draft();
    return ready.snapshot();
  }

  /**
   * Removes backup copies past their retention, never a resumable run's nor the copy being taken
   * for this run.
   */
  private void pruneBackups(PostgresTarget target, Duration retention, UUID newRunId) {
    Set<UUID> keep = new java.util.HashSet<>(RunStore.resumableRuns(target));
    keep.add(newRunId);
    BackupRetention.Pruned pruned =
        BackupRetention.prune(Snapshot.backupRoot(options), retention, keep, Instant.now());
    if (pruned.copies() > 0) {
      say(
          "Backups: removed %d copies older than %d days (%s; %s sets the days)",
          pruned.copies(),
          retention.toDays(),
          BackupRetention.human(pruned.bytes()),
          BackupRetention.VARIABLE);
    }
  }

  private static void keepManifest(Snapshot snapshot, UUID runId, RuntimeException failure) {
    try {
      snapshot.finish(runId);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** What every stage of one run shares. */
  private record RunContext(
      UUID runId,
      PostgresTarget target,
      RunLease lease,
      Snapshot snapshot,
      RunStore.LastRun previous,
      long started) {
    SqliteSource source() {
      return snapshot.reading;
    }

    boolean resuming() {
      return previous != null;
    }
  }

  private RunReport migrate(RunContext run) {
    PlanDraft draft = draft(run);
    dev.ferry.map.Mappings mapped =
        MappedStage.resolve(
            options, sourceSchema, run.target().dataSource(), draft.plan(), s -> say("%s", s));
    MigrationPlan plan = MappedStage.without(draft.plan(), mapped);
    if (plan.tables().isEmpty() && options.priority() != null) {
      return nothingOfPriority(run, plan);
    }
    Set<String> own = run.resuming() ? RunStore.objects(run.target(), run.runId()) : Set.of();
    if (options.ifExists() == IfExists.FAIL) {
      checkConflicts(run.target(), plan, own);
    } else if (options.ifExists() != IfExists.DROP) { // into the user's own tables
      run.target().refuseGeneratedColumns(plan.tables(), options.ifExists());
    }
    StaleChunks stale =
        StaleChunks.of(
            plan, run.resuming() ? RunStore.checkpoints(run.target(), run.runId()) : Map.of(), own);
    Map<String, LoadedSoFar> committed = stale.kept();
    if (run.resuming() && run.snapshot().copy == null) { // read directly: is it what was loaded?
      List<String> changed =
          CommittedRows.changed(run.source(), plan, committed, options.badValues());
      if (!changed.isEmpty()) {
        throw Snapshot.changed(sourceName(), run.runId(), String.join("; ", changed));
      }
    }
    run.snapshot()
        .awaitDurable(run.runId()); // recorded below: a resume after a crash reads this copy
    RunStore store = new RunStore(run.target());
    if (run.resuming()) {
      store.resume(run.runId());
    } else {
      store.begin(
          run.runId(),
          sourceName(),
          plan.schema(),
          Version.current(),
          optionsForRecord(run.snapshot().copy));
    }
    recorded = true;
    stage = Stage.SCHEMA;
    try {
      say(
          "Run %s: loading %d tables into %s (schema %s), %d at a time",
          run.runId(),
          plan.tables().size(),
          run.target().url().display(),
          plan.schema(),
          options.jobs());
      run.target().createSchema(plan.schema(), run.runId());
      if (options.ifExists() == IfExists.TRUNCATE && !run.resuming()) {
        // one TRUNCATE of every existing table: alone, a referenced table cannot be truncated
        run.target().truncate(plan.tables()).forEach(n -> say("%s", n));
      }
      stage = Stage.LOAD;
      stale.discard(run.target(), run.runId(), s -> say("%s", s));
      Scheduler.Loaded loaded = timed(Stage.LOAD, () -> load(run, plan, committed, draft));
      // the loads finished the sampled tables' profiles: the plan is now the full profile's
      MigrationPlan finished = MappedStage.without(draft.plan(), mapped);
      return afterLoad(run, store, finished, loaded.under(finished), mapped);
    } catch (RuntimeException e) {
      Outcome failed = Outcome.failed(stage, e);
      try {
        store.finish(run.runId(), failed.state().stored(), failed.exitCode(), failed.message());
      } catch (RuntimeException unrecorded) {
        e.addSuppressed(unrecorded); // the target is gone: the run stays resumable as running
      }
      throw e;
    }
  }

  /**
   * After the load: keys, the mapped tables, verification (computed ahead, during the keys stage)
   * and the commit.
   */
  private RunReport afterLoad(
      RunContext run,
      RunStore store,
      MigrationPlan finished,
      Scheduler.Loaded done,
      dev.ferry.map.Mappings mapped) {
    run.lease().hold(); // a connection lost during the load released it: verdicts start below
    // the verdicts are computed while the keys stage runs (see VerdictsAhead)
    try (VerdictsAhead verdicts =
        VerdictsAhead.start(
            new TableVerification(
                run.source(), run.target(), options.verify(), options.badValues()),
            finished,
            done.results(),
            options.ifExists() == IfExists.APPEND,
            done.failure() == null && options.jobs() > 1)) {
      stage = Stage.KEYS;
      PostLoad.Done post =
          timed(
              Stage.KEYS,
              () ->
                  done.failure() == null
                      ? PostLoad.run(run.target(), finished, run.runId(), run.resuming())
                      : new PostLoad.Done(Map.of(), List.of(), List.of()));
      stage = Stage.LOAD;
      List<dev.ferry.map.MappedLoad> mappedLoads =
          done.failure() == null
              ? MappedStage.load(
                  mapped,
                  run.target().dataSource(),
                  run.source(),
                  run.runId(),
                  options.badValues(),
                  s -> say("%s", s))
              : List.of();
      stage = Stage.VERIFY;
      run.lease().hold(); // a connection lost during the load released it
      List<TableResult> results =
          timed(
              Stage.VERIFY,
              () -> {
                List<TableResult> all = new ArrayList<>(results(finished, done, post, verdicts));
                all.addAll(
                    MappedStage.results(
                        mappedLoads,
                        run.target().dataSource(),
                        run.source(),
                        run.runId(),
                        options.verify()));
                return all;
              });
      stage = Stage.COMMIT;
      return commit(run, finished, store, done, post, results);
    }
  }

  /**
   * The run's plan: the types of big tables from a sample, checked while they load (--profile
   * sample, the default), or from a full profile: with --profile full, and when resuming, appending
   * or truncating (a table the run did not create cannot be loaded again from nothing, and a
   * resumed table must keep the types its committed chunks have).
   */
  private PlanDraft draft(RunContext run) {
    if (drafted != null) { // made with the snapshot, on the source's thread
      return drafted;
    }
    SourceSchema schema = run.source().readSchema();
    sourceSchema = schema;
    say("%s", planning(sourceName(), schema));
    Sampling sampling = sampling(options, run.resuming());
    return timed(
        Stage.PLAN, () -> Planner.draft(run.source(), schema, options.planOptions(), sampling));
  }

  /** The line that says a source is being planned. */
  static String planning(String sourceName, SourceSchema schema) {
    return String.format(
        "Planning %s: %d tables, %d views",
        sourceName, schema.tables().size(), schema.views().size());
  }

  /**
   * How a run's tables are profiled: as --profile says when the run creates them (a new run, with
   * --if-exists fail or drop), else in full (a resumed table keeps its committed chunks' types; an
   * existing table's rows are not read).
   */
  static Sampling sampling(RunOptions options, boolean resuming) {
    boolean fresh =
        !resuming && (options.ifExists() == IfExists.FAIL || options.ifExists() == IfExists.DROP);
    return fresh ? options.profile() : Sampling.FULL;
  }

  private MigrationPlan plan(SqliteSource source) {
    SourceSchema schema = source.readSchema();
    sourceSchema = schema;
    say("%s", planning(sourceName(), schema));
    return timed(Stage.PLAN, () -> Planner.plan(source, schema, options.planOptions()));
  }

  private Scheduler.Loaded load(
      RunContext run, MigrationPlan plan, Map<String, LoadedSoFar> committed, PlanDraft draft) {
    try (Progress progress = Progress.forConsole(out, quiet)) {
      return new Scheduler(options, run.target(), run.source(), run.runId(), committed, draft)
          .run(plan, progress);
    }
  }

  /**
   * What the source has and the target lacks: each view, index and constraint that was not created,
   * whether Ferry had no translation for it or PostgreSQL refused it.
   */
  private static List<String> notCreated(
      MigrationPlan plan, Scheduler.Loaded loaded, PostLoad.Done post) {
    List<String> missing = new ArrayList<>();
    for (TablePlan t : plan.tables()) {
      List<Note> notes = new ArrayList<>(t.notes());
      LoadResult r = loaded.results().get(t);
      if (r != null) {
        notes.addAll(r.notes());
      }
      notes.addAll(post.tableNotes().getOrDefault(t, List.of()));
      for (Note n : notes) {
        if (n.missing()) {
          missing.add(n.object());
        }
      }
    }
    post.viewsNotCreated().forEach(v -> missing.add("view " + v));
    return missing;
  }

  /** The run's outcome, recorded in ferry.runs and reported. */
  private RunReport commit(
      RunContext run,
      MigrationPlan plan,
      RunStore store,
      Scheduler.Loaded loaded,
      PostLoad.Done post,
      List<TableResult> results) {
    boolean mismatch = results.stream().anyMatch(r -> r.verdict().equals("MISMATCH"));
    boolean repaired = results.stream().anyMatch(r -> r.rowsFixed() > 0 || r.rowsSetAside() > 0);
    Outcome outcome =
        Outcome.of(
            loaded.failure(),
            loaded.failedTable(),
            results,
            mismatch,
            notCreated(plan, loaded, post),
            repaired,
            run.runId(),
            verifiedWhat());
    for (TableResult r : results) {
      store.table(run.runId(), r);
    }
    if (!run.resuming()) {
      staged.record(store, run.runId());
    }
    store.finish(run.runId(), outcome.state().stored(), outcome.exitCode(), outcome.message());
    List<String> runNotes = new ArrayList<>(staged.notes);
    plan.notes().forEach(n -> runNotes.add(n.toString()));
    runNotes.addAll(post.viewNotes());
    RunReport report =
        new RunReport(
            run.runId().toString(),
            sourceName(),
            run.target().url().display(),
            plan.schema(),
            false,
            (System.nanoTime() - run.started()) / 1e9,
            phases,
            verifiedWhat(),
            results,
            runNotes,
            outcome.exitCode(),
            outcome.message());
    ReportPrinter.print(report, out);
    ReportFile.write(options.report(), report);
    if (loaded.failure() == null) {
      say("Connect: psql %s", run.target().url().display());
    }
    return report;
  }

  /** Each table's line: loaded and verified, or FAILED / NOT LOADED. */
  private List<TableResult> results(
      MigrationPlan plan, Scheduler.Loaded loaded, PostLoad.Done post, VerdictsAhead verdicts) {
    List<TableResult> results = new ArrayList<>();
    for (TablePlan t : plan.tables()) {
      LoadResult r = loaded.results().get(t);
      String target = plan.schema() + "." + t.name();
      if (r == null) {
        boolean failed = t.source().name().equals(loaded.failedTable());
        results.add(
            new TableResult(
                t.source().name(),
                target,
                0,
                0,
                -1,
                0,
                0,
                0,
                0,
                failed ? "FAILED" : "NOT LOADED",
                failed ? List.of(loaded.failure().getMessage()) : List.of()));
        continue;
      }
      TableVerification.Verdict v = verdicts.verdict(t);
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
      post.tableNotes().getOrDefault(t, List.<Note>of()).forEach(n -> notes.add(n.toString()));
      notes.addAll(v.notes());
      results.add(
          new TableResult(
              t.source().name(),
              target,
              r.rowsRead() + early,
              r.rowsWritten(),
              v.inTarget(),
              r.fixed(),
              r.setAside() + early,
              r.bytes(),
              r.nanos() / 1e9,
              v.ok() ? verdict(v.verdict(), r, early) : "MISMATCH",
              notes));
    }
    return results;
  }

  /**
   * The run this one continues: the latest run of this source into this schema when it did not
   * finish (with --if-exists fail), else null. With --resume, a run that finished is refused; when
   * no run was ever recorded (an attempt stopped before it began loading records none and changed
   * nothing), starting one is resuming it.
   */
  private RunStore.LastRun previousRun(PostgresTarget target) {
    if (options.ifExists() != IfExists.FAIL) {
      if (options.resume()) {
        throw new FerryException(
            ErrorCode.USAGE,
            "--resume continues an interrupted run as it was; it cannot be combined with --if-exists "
                + options.ifExists().name().toLowerCase(java.util.Locale.ROOT));
      }
      return null;
    }
    RunStore.LastRun last = RunStore.latest(target, sourceName(), options.schema());
    if (last != null && last.resumable()) {
      say(
          "Resuming run %s (%s since %s UTC): tables it finished are kept, the others loaded",
          last.run(), last.state(), last.startedAt());
      return last;
    }
    if (options.resume() && last != null) {
      throw new FerryException(
          ErrorCode.USAGE,
          "nothing to resume: the last run of "
              + sourceName()
              + " into schema "
              + options.schema()
              + ", "
              + last.run()
              + " (started "
              + last.startedAt()
              + " UTC), finished: "
              + last.state()
              + " (ferry runs lists them)");
    }
    if (options.resume()) {
      say(
          "No run of %s into schema %s was recorded (an attempt stopped before it began loading"
              + " records none and changes nothing): starting it",
          sourceName(), options.schema());
    }
    return null;
  }

  /** With --if-exists fail, refuses before anything changes when a target name is taken. */
  private static void checkConflicts(
      PostgresTarget target, MigrationPlan plan, Set<String> finished) {
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

  private RunReport nothingOfPriority(RunContext run, MigrationPlan plan) {
    String message =
        "Nothing of priority "
            + options.priority()
            + " in "
            + sourceName()
            + ": nothing was changed.";
    say("%s", message);
    return new RunReport(
        run.runId().toString(),
        sourceName(),
        null,
        plan.schema(),
        false,
        (System.nanoTime() - run.started()) / 1e9,
        phases,
        "none",
        List.of(),
        List.of(),
        0,
        message);
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

  private <T> T timed(Stage stage, Supplier<T> work) {
    long t0 = System.nanoTime();
    try {
      return work.get();
    } finally {
      phases.put(stage.phase(), (System.nanoTime() - t0) / 1e9);
    }
  }

  /** The source file's size and modification time, to notice a change between attempts. */
  private String sourceStamp() {
    return Snapshot.stamp(options.source());
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

  private Map<String, Object> optionsForRecord(String copy) {
    return options.forRecord(copy, sourceStamp());
  }

  private void say(String format, Object... args) {
    if (!quiet) {
      out.printf(format + "%n", args);
    }
  }
}
