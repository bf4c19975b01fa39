package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to read and how to name it in the target: shared by migrate, inspect and verify. */
final class SourceOptions {
  @Parameters(arity = "1..*", paramLabel = "SOURCE.db", description = "the SQLite database(s)")
  List<Path> sources = new ArrayList<>();

  /** The one source of a command that takes one. */
  Path single(String command) {
    if (sources.size() != 1) {
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.USAGE,
          "ferry " + command + " takes one SOURCE.db (got " + sources.size() + ")");
    }
    return sources.get(0);
  }

  @Option(
      names = "--schema",
      defaultValue = "public",
      description = "target schema (default: ${DEFAULT-VALUE})")
  String schema;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "PATTERN",
      description = "only tables matching these patterns (* and ?)")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--exclude",
      split = ",",
      paramLabel = "PATTERN",
      description = "leave out tables matching these patterns")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--keep-case",
      description =
          "keep names' letter case (default: lower-case ASCII letters, as unquoted SQL expects)")
  boolean keepCase;

  @Option(
      names = "--config",
      paramLabel = "ferry.yaml",
      description = "per-column casts (casts: {table.column: type}), checked at start")
  Path config;

  /** Options for a command that only reads (inspect, verify, plan): no load, no backup. */
  dev.ferry.run.RunOptions reading(
      Path source,
      String target,
      String schemaName,
      FerryConfig loaded,
      dev.ferry.verify.Verifier.Mode verify,
      dev.ferry.target.BadValuePolicy policy) {
    return new dev.ferry.run.RunOptions(
        source,
        target,
        schemaName,
        null,
        only,
        exclude,
        dev.ferry.run.RunOptions.defaultJobs(),
        true,
        keepCase,
        verify,
        policy,
        loaded,
        null,
        false,
        null,
        false,
        0,
        null,
        java.nio.file.Paths.get("").toAbsolutePath());
  }

  FerryConfig loadConfig() {
    return config == null ? FerryConfig.none() : FerryConfig.load(config);
  }
}
