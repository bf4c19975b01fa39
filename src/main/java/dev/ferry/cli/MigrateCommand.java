package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.config.FerryConfig;
import dev.ferry.load.IfExists;
import dev.ferry.run.Migration;
import dev.ferry.run.RunOptions;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
      names = "--schema-per-source",
      description =
          "each source in a schema of its own, named after the file (ferry.yaml schemas: overrides)")
  boolean schemaPerSource;

  @Option(
      names = "--priority",
      paramLabel = "P0|P1|P2",
      description =
          "move only sources and tables of this priority (ferry.yaml priorities:; unnamed is P1)")
  String priority;

  @Option(
      names = "--chunk-rows",
      defaultValue = "1000000",
      paramLabel = "N",
      description =
          "a big table loads in chunks of about N rows, each committed with a checkpoint that"
              + " an interrupted run resumes from (default ${DEFAULT-VALUE}; 0: whole tables)")
  long chunkRows;

  @Option(
      names = "--resume",
      description =
          "continue the interrupted run of this source (a plain re-run does too); fail if there is none")
  boolean resume;

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
    FerryConfig config = from.loadConfig();
    PrintStream out = WriterOutputStream.printStream(spec);
    java.util.Set<Path> staged = new java.util.HashSet<>();
    List<Path> sources =
        new ArrayList<>(from.expand(config, badValues.policy, backupDir, out, staged));
    // many stores: the most urgent sources first (stable for equal priority)
    sources.sort(
        Comparator.comparingInt(
            f -> FerryConfig.LEVELS.indexOf(config.priority(RunOptions.sourceName(f), null))));
    int exit = 0;
    for (int k = 0; k < sources.size(); k++) {
      Path source = sources.get(k);
      String name = RunOptions.sourceName(source);
      String schema =
          schemaPerSource ? config.schemas().getOrDefault(name, schemaName(name)) : from.schema;
      if (sources.size() > 1) {
        out.printf("%n== %s (%s, schema %s) ==%n", source, config.priority(name, null), schema);
      }
      RunOptions options =
          new RunOptions(
              source,
              to.target,
              schema,
              ifExists,
              from.only,
              from.exclude,
              jobs != null ? jobs : RunOptions.defaultJobs(),
              dryRun,
              from.keepCase,
              verify,
              badValues.policy,
              config,
              backupDir,
              !noBackup && !staged.contains(source), // a staged copy is already a snapshot
              priority == null ? null : priority.toUpperCase(Locale.ROOT),
              resume,
              chunkRows,
              report == null || sources.size() == 1
                  ? report
                  : report.resolveSibling(name + "-" + report.getFileName()),
              Paths.get("").toAbsolutePath());
      int code = new Migration(options, out, System.getenv(), quiet).run().exitCode();
      if (code != 0 && code != ErrorCode.ROWS_SET_ASIDE.exitCode()) {
        if (k + 1 < sources.size()) {
          out.println(
              "Stopped: not migrated: "
                  + String.join(
                      ", ",
                      sources.subList(k + 1, sources.size()).stream()
                          .map(Path::toString)
                          .toList()));
        }
        return code;
      }
      exit = Math.max(exit, code);
    }
    out.flush();
    return exit;
  }

  /** A schema name from a file name: lower case letters, digits and _. */
  static String schemaName(String sourceName) {
    String s = sourceName.replaceAll("[^a-z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "s_" + s : s;
  }
}
