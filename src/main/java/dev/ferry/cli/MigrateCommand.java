package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.config.FerryConfig;
import dev.ferry.run.Migration;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunSetting;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
        "Migrates a SQLite database into PostgreSQL: schema (types from the stored values, keys, constraints, indexes, foreign keys, views), data by binary COPY, then verification. Without --target, DATABASE_URL or PG* variables, the embedded PostgreSQL in .ferry/pg is used (started on demand and left running; `ferry pg stop` stops it).")
final class MigrateCommand implements Callable<Integer>, Settings.Taker {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  private final Settings settings =
      new Settings(
          RunSetting.IF_EXISTS,
          RunSetting.JOBS,
          RunSetting.DRY_RUN,
          RunSetting.VERIFY,
          RunSetting.PRIORITY,
          RunSetting.CHUNK_ROWS,
          RunSetting.PROFILE,
          RunSetting.RESUME,
          RunSetting.BACKUP_DIR,
          RunSetting.BACKUP,
          RunSetting.KEEP_BACKUPS,
          RunSetting.REPORT);

  @Override
  public Settings settings() {
    return settings;
  }

  @Mixin SchemaPerSourceOption schemaPerSource;

  @Option(
      names = {"-q", "--quiet"},
      description = "no progress, only the report")
  boolean quiet;

  @Override
  public Integer call() {
    Migration.awaitWarmUp(); // from here on this thread uses what it warmed
    FerryConfig config = from.loadConfig();
    PrintStream out = WriterOutputStream.printStream(spec);
    from.refuseUrls();
    Sources.refuseRepeats(from.sources);
    Path backupDir = (Path) settings.get(RunSetting.BACKUP_DIR);
    List<Path> expanded = new ArrayList<>(from.expand(config, badValues.policy(), backupDir, out));
    // many stores: the most urgent sources first (stable for equal priority)
    expanded.sort(
        Comparator.comparingInt(
            f -> FerryConfig.LEVELS.indexOf(config.priority(RunOptions.sourceName(f), null))));
    List<Sources.Placed> sources =
        Sources.place(expanded, config, schemaPerSource.enabled, from.schema());
    int exit = 0;
    for (int k = 0; k < sources.size(); k++) {
      Path source = sources.get(k).file();
      String name = RunOptions.sourceName(source);
      String schema = sources.get(k).schema();
      if (sources.size() > 1) {
        out.printf("%n== %s (%s, schema %s) ==%n", source, config.priority(name, null), schema);
      }
      RunOptions options = options(source, schema, from.isStaged(source), sources.size(), config);
      int code = new Migration(options, out, System.getenv(), quiet).run().exitCode();
      if (code != 0 && code != ErrorCode.ROWS_SET_ASIDE.exitCode()) {
        if (k + 1 < sources.size()) {
          out.println(
              "Stopped: not migrated: "
                  + String.join(
                      ", ",
                      sources.subList(k + 1, sources.size()).stream()
                          .map(p -> p.file().toString())
                          .toList()));
        }
        return code;
      }
      exit = Math.max(exit, code);
    }
    out.flush();
    return exit;
  }

  /** The options of one source's run: every setting given, the source's schema and report. */
  RunOptions options(
      Path source, String schema, boolean staged, int sourceCount, FerryConfig config) {
    Path report = (Path) settings.get(RunSetting.REPORT);
    return RunOptions.builder()
        .source(source)
        .staged(staged)
        .workDir(Paths.get("").toAbsolutePath())
        .config(config)
        .setAll(from.settings().values())
        .setAll(to.settings().values())
        .setAll(badValues.settings().values())
        .setAll(settings.values())
        .schema(schema)
        // a staged copy is already a snapshot
        .backup((Boolean) settings.get(RunSetting.BACKUP) && !staged)
        .report(
            report == null || sourceCount == 1
                ? report
                : report.resolveSibling(RunOptions.sourceName(source) + "-" + report.getFileName()))
        .build();
  }
}
