package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.load.PostgresTarget;
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
 * full every row, is compared. Exit 0 when every table matches, 4 otherwise.
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
    SqliteSource source = SqliteSource.open(options.source());
    MigrationPlan planned = Planner.plan(source, source.readSchema(), options.planOptions());
    // tables loaded through map: into the user's own tables are verified by the migration (rows it
    // recorded); this re-check covers Ferry's own tables only and says which it left out
    // (named in map: order, so that the same command always prints the same line)
    List<String> notRechecked = new ArrayList<>();
    for (var m : options.config().map()) {
      planned.tables().stream()
          .map(t -> t.source().name())
          .filter(n -> n.equalsIgnoreCase(m.source()) && !notRechecked.contains(n))
          .forEach(notRechecked::add);
    }
    MigrationPlan plan =
        new MigrationPlan(
            planned.source(),
            planned.schema(),
            planned.tables().stream()
                .filter(t -> !notRechecked.contains(t.source().name()))
                .toList(),
            planned.views(),
            planned.notes());
    TargetUrl url = Targets.resolve(options.target(), options.workDir(), env);
    List<TableResult> results = new ArrayList<>();
    boolean allOk = true;
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
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
      int exit = allOk ? 0 : ErrorCode.VERIFICATION_FAILED.exitCode();
      String how =
          options.verify() == Verifier.Mode.FULL
              ? "every row compared by key"
              : "row counts and checksums";
      String message =
          allOk && notRechecked.isEmpty()
              ? String.format("OK: %d tables match their source (%s).", results.size(), how)
              : allOk
                  ? String.format(
                      "PARTLY CHECKED: %d tables match their source (%s); not re-checked: %s"
                          + " (loaded through map: into your own tables, which ferry verify does"
                          + " not re-check yet; the migration that loaded them verified them).",
                      results.size(), how, String.join(", ", notRechecked))
                  : "VERIFICATION FAILED: the target differs from the source (see MISMATCH above).";
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
}
