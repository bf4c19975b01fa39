package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.sync.SyncOptions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the sync and cutover commands share: the file, the target, the schema. */
final class SyncOptionsMixin {
  @Parameters(index = "0", paramLabel = "SOURCE.db", description = "the application's SQLite file")
  Path source;

  @Mixin TargetOption to;

  @Option(
      names = "--schema",
      defaultValue = "public",
      description = "target schema (default: ${DEFAULT-VALUE})")
  String schema;

  @Option(names = "--config", paramLabel = "FILE", description = "ferry.yaml (casts, keep, …)")
  Path config;

  @Mixin BadValueOption badValues;

  @Option(names = "--work-dir", hidden = true, description = "where .ferry/ lives (tests)")
  Path workDir;

  SyncOptions options(int metricsPort, Duration maxFreeze, String exec, boolean json) {
    return new SyncOptions(
        source,
        to.target,
        schema,
        config == null ? FerryConfig.none() : FerryConfig.load(config),
        badValues.policy(),
        workDir != null ? workDir : Paths.get("").toAbsolutePath(),
        metricsPort,
        maxFreeze,
        exec,
        json);
  }
}
