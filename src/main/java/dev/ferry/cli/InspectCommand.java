package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.run.Inspection;
import dev.ferry.run.RunOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, per table and column, the declared type, what is actually stored (SQLite storage",
      "classes with counts), the PostgreSQL type Ferry would choose and why, and the anomalies.",
      "Reads the source only."
    })
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE.db", description = "the SQLite database")
  Path source;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "PATTERN",
      description = "only tables matching these patterns")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--exclude",
      split = ",",
      paramLabel = "PATTERN",
      description = "leave out tables matching these patterns")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--json", description = "print JSON for machines")
  boolean json;

  @Option(
      names = "--config",
      paramLabel = "ferry.yaml",
      description = "per-column casts (casts: {table.column: type}), checked at start")
  Path config;

  @Override
  public Integer call() {
    RunOptions options =
        new RunOptions(
            source,
            null,
            "public",
            null,
            only,
            exclude,
            RunOptions.defaultJobs(),
            true,
            false,
            null,
            null,
            config == null ? FerryConfig.none() : FerryConfig.load(config),
            null,
            Paths.get("").toAbsolutePath());
    PrintStream out =
        new PrintStream(
            new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    new Inspection(options, out).run(json);
    return 0;
  }
}
