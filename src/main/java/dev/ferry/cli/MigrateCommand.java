package dev.ferry.cli;

import dev.ferry.run.Migration;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunReport;
import dev.ferry.target.IfExists;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Migrates a SQLite database into PostgreSQL: schema (types from the stored values, keys, constraints, indexes, foreign keys, views), data by binary COPY, then verification. Without --target, DATABASE_URL or PG* variables, the embedded PostgreSQL in .ferry/pg is used (started on demand and left running; `ferry pg stop` stops it).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success: every table loaded and verified",
      "1:usage or configuration error (also: target tables exist and --if-exists is fail)",
      "2:source or target unreachable or unreadable",
      "3:finished with values repaired or rows set aside",
      "4:verification failed: the target differs from the source",
      "5:load failed: PostgreSQL rejected a table's data",
      "70:internal error (a bug)"
    })
final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  @Option(
      names = "--if-exists",
      defaultValue = "fail",
      paramLabel = "fail|drop|truncate|append",
      converter = IfExistsConverter.class,
      description =
          "when a target table exists: fail before changing anything (default), drop it, truncate it, or append to it")
  IfExists ifExists;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "tables loaded in parallel (default: the number of cores)")
  Integer jobs;

  @Option(names = "--dry-run", description = "print the plan and the DDL; touch nothing")
  boolean dryRun;

  @Option(
      names = "--verify",
      defaultValue = "checksum",
      paramLabel = "count|checksum|full",
      converter = VerifyModeConverter.class,
      description =
          "after the load compare row counts, counts and a checksum of every value (default),"
              + " or every row by key, naming the rows that differ")
  Verifier.Mode verify;

  @Option(
      names = "--backup-dir",
      paramLabel = "DIR",
      description = "where to keep the backup (DIR/RUN-ID; default .ferry/backups/RUN-ID)")
  java.nio.file.Path backupDir;

  @Option(
      names = "--no-backup",
      description =
          "read the source directly instead of a consistent backup copy, and keep no copy")
  boolean noBackup;

  @Option(
      names = "--report",
      paramLabel = "FILE.json",
      description = "also write the report as JSON")
  Path report;

  @Option(
      names = {"-q", "--quiet"},
      description = "no progress, only the report")
  boolean quiet;

  @Override
  public Integer call() {
    RunOptions options =
        new RunOptions(
            from.source,
            to.target,
            from.schema,
            ifExists,
            from.only,
            from.exclude,
            jobs != null ? jobs : RunOptions.defaultJobs(),
            dryRun,
            from.keepCase,
            verify,
            badValues.policy,
            from.loadConfig(),
            backupDir,
            !noBackup,
            report,
            Paths.get("").toAbsolutePath());
    PrintStream out = WriterOutputStream.printStream(spec);
    RunReport r = new Migration(options, out, System.getenv(), quiet).run();
    out.flush();
    return r.exitCode();
  }
}
