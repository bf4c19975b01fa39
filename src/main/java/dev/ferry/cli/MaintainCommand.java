package dev.ferry.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.audit.AuditLog;
import dev.ferry.config.FerryConfig;
import dev.ferry.maintain.Maintenance;
import dev.ferry.maintain.MaintenanceReport;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.run.MetadataSchema;
import dev.ferry.run.RunSetting;
import dev.ferry.run.Targets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description =
        "Routine upkeep, for cron: deletes the rows ferry.yaml's retention: expires, in small"
            + " batches each recorded in ferry.audit (undo with --undo); ANALYZEs tables with stale"
            + " statistics and VACUUMs those with many dead rows; reports bloat, unused indexes"
            + " and missing foreign-key indexes with the SQL that would fix them (never run)."
            + " Every rule is checked before anything is deleted.")
final class MaintainCommand implements Callable<Integer>, Settings.Taker {
  @Spec CommandSpec spec;

  @Mixin TargetOption to;

  private final Settings settings = new Settings(RunSetting.CONFIG);

  @Option(names = "--json", description = "print the report as JSON for scripts")
  boolean json;

  @Option(
      names = "--dry-run",
      description = "count what would be deleted, analyzed and vacuumed; change nothing")
  boolean dryRun;

  @Option(
      names = "--batch-rows",
      paramLabel = "N",
      defaultValue = "1000",
      description = "rows deleted per transaction (default ${DEFAULT-VALUE})")
  int batchRows;

  @Option(
      names = "--no-vacuum",
      negatable = false,
      description =
          "do not VACUUM (by default, tables with at least 1,000 dead rows, 10% of their live rows,"
              + " are vacuumed; never FULL)")
  boolean noVacuum;

  @Option(
      names = "--undo",
      paramLabel = "AUDIT-ID",
      split = ",",
      description =
          "put back what these ferry.audit entries deleted (the batches a run printed), all in"
              + " one transaction, instead of maintaining")
  List<Long> undo;

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Integer call() {
    Maintenance.Options options =
        new Maintenance.Options(dryRun, batchRows, !noVacuum); // checks --batch-rows first
    Path file = (Path) settings.get(RunSetting.CONFIG);
    FerryConfig config = file == null ? FerryConfig.none() : FerryConfig.load(file);
    PrintStream out = WriterOutputStream.printStream(spec);
    PrintStream err = WriterOutputStream.errStream(spec);
    TargetUrl url =
        Targets.resolve(to.target, Paths.get("").toAbsolutePath(), System.getenv(), err::println);
    try (HikariDataSource db = Maintenance.connect(url)) {
      if (undo != null && !undo.isEmpty()) {
        return undo(db, out);
      }
      err.println("Target: " + url.display());
      Maintenance m = new Maintenance(db, options, err::println);
      Maintenance.Checked checked = m.check(config.retention());
      if (checked.deletes() && !dryRun) {
        MetadataSchema.ensureCurrent(db); // ferry.audit records every batch
      }
      MaintenanceReport report = m.run(checked);
      if (json) {
        out.println(report.json());
      } else {
        report.printText(out);
      }
      out.flush();
      if (report.exitCode() != 0) {
        err.println(
            "ferry: error: PostgreSQL skipped "
                + String.join("; ", report.skipped())
                + " (the role running ferry maintain must own these tables)");
      }
      return report.exitCode();
    }
  }

  private int undo(HikariDataSource db, PrintStream out) {
    List<AuditLog.Change> done = Maintenance.undo(db, undo);
    for (int i = 0; i < done.size(); i++) {
      out.printf(
          "audit %d undone: %,d rows put back (recorded as audit %d)%n",
          undo.get(i), done.get(i).rows(), done.get(i).auditId());
    }
    out.flush();
    return 0;
  }
}
