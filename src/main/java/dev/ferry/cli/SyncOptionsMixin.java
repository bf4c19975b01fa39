package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.run.RunSetting;
import dev.ferry.sync.SyncOptions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the sync, cutover and fallback commands share: the file, the target, the schema, ferry.yaml
 * and the bad-value policy (--schema and --config come from RunSetting, as migrate's do).
 */
@Command // a mixin: its run settings are added by Settings.install
final class SyncOptionsMixin implements Settings.Taker {
  @Parameters(index = "0", paramLabel = "SOURCE.db", description = "the application's SQLite file")
  Path source;

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  @Option(names = "--work-dir", hidden = true, description = "where .ferry/ lives (tests)")
  Path workDir;

  private final Settings settings = new Settings(RunSetting.SCHEMA, RunSetting.CONFIG);

  @Override
  public Settings settings() {
    return settings;
  }

  SyncOptions options(int metricsPort, Duration maxFreeze, String exec, boolean json) {
    Path config = (Path) settings.get(RunSetting.CONFIG);
    return new SyncOptions(
        source,
        to.target,
        (String) settings.get(RunSetting.SCHEMA),
        config == null ? FerryConfig.none() : FerryConfig.load(config),
        badValues.policy(),
        workDir != null ? workDir : Paths.get("").toAbsolutePath(),
        metricsPort,
        maxFreeze,
        exec,
        json);
  }
}
