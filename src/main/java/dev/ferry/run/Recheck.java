package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.load.PostgresTarget;
import dev.ferry.map.TableMapping;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry verify}: re-checks an existing migration without loading anything. The source is
 * planned again (same options, same choices) and read again; each target table's checksum, or with
 * full every row, is compared; tables ferry.yaml's map: loads into the user's own tables are
 * compared with the source read, transformed and converted again ({@link MappedRecheck}). Exit 0
 * when every table matches, 4 otherwise.
 */
public final class Recheck {
  private final RunOptions options;
  private final PrintStream out;
  private final Map<String, String> env;

  public Recheck(RunOptions options, PrintStream out, Map<String, String> env) {
    this.options = options;
    this.out = out;
    this.env = env;
  }

  public RunReport run() {
    long started = System.nanoTime();
    SqliteSource source = options.openSource();
    dev.ferry.source.SourceSchema schema = source.readSchema();
    // tables ferry.yaml's map: loads into the user's own tables are checked by MappedRecheck
    MigrationPlan plan =
        MappingReview.withoutMapped(Planner.plan(source, schema, options.planOptions()), options);
    TargetUrl url = Targets.resolve(options.target(), options.workDir(), env);
    List<TableResult> results = new ArrayList<>();
    boolean allOk = true;
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      // tables an --if-exists append loaded as implicit map: entries (their existing tables differ
      // from the plan) are checked as the mapped tables they were loaded as, not as Ferry's own
      List<TableMapping> entries = new ArrayList<>(options.config().map());
      List<TableMapping> implicit =
          MappedRecheck.loadedAsMaps(
              MappedStage.implicitEntries(plan, target.dataSource()),
              schema,
              target.dataSource(),
              plan.schema());
      entries.addAll(implicit);
      plan = MappingReview.without(plan, implicit);
      List<String> names = plan.tables().stream().map(TablePlan::name).toList();
      List<String> present = target.existing(plan.schema(), names);
      TableVerification verification =
          new TableVerification(source, target, options.verify(), options.badValues());
      for (TablePlan t : plan.tables()) {
        long t0 = System.nanoTime();
        TableVerification.Verdict v = verification.recheck(t, present.contains(t.name()));
        allOk &= v.ok();
        results.add(
            new TableResult(
                t.source().name(),
                plan.schema() + "." + t.name(),
                Math.max(0, v.sourceRows()),
                0,
                v.inTarget(),
                0,
                0,
                0,
                (System.nanoTime() - t0) / 1e9,
                v.verdict(),
                v.notes()));
      }
      List<TableResult> mapped =
          MappedRecheck.results(entries, options, source, schema, target, plan.schema());
      for (TableResult m : mapped) {
        allOk &= m.verdict().startsWith("VERIFIED");
        results.add(m);
      }
      int exit = allOk ? 0 : ErrorCode.VERIFICATION_FAILED.exitCode();
      String message = message(allOk, results.size(), mapped.size());
      Map<String, Double> phases = new LinkedHashMap<>();
      RunReport report =
          new RunReport(
              null,
              plan.source().toString(),
              target.url().display(),
              plan.schema(),
              false,
              (System.nanoTime() - started) / 1e9,
              phases,
              "recheck: " + options.verify().name().toLowerCase(java.util.Locale.ROOT),
              results,
              List.of(),
              exit,
              message);
      ReportPrinter.print(report, out);
      return report;
    }
  }

  /** The closing line: what matched and how it was checked, or that something did not. */
  private String message(boolean allOk, int tables, int mapped) {
    if (!allOk) {
      return "VERIFICATION FAILED: the target differs from the source (see MISMATCH, MISSING"
          + " or NOT CHECKED above).";
    }
    String how =
        options.verify() == Verifier.Mode.FULL
            ? "every row compared by key"
            : "row counts and checksums";
    return String.format(
        "OK: %d tables match their source (%s%s).",
        tables,
        how,
        mapped == 0
            ? ""
            : String.format(
                "; %d mapped into your own tables: %s",
                mapped,
                options.verify() == Verifier.Mode.COUNT
                    ? "the count of the rows their run inserted"
                    : "every source row after its transforms, by row"));
  }
}
