package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.run.Recheck;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunSetting;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Re-checks an existing migration without loading anything: every table's row count and"
            + " checksum of every value on both sides; with --verify full, every row by key, naming"
            + " the rows that differ. Exit 0 when the target equals the source, 4 when it does not."
            + " Takes the sources and schema options of the migrate it checks.")
final class VerifyCommand implements Callable<Integer>, Settings.Taker {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  private final Settings settings = new Settings(RunSetting.RECHECK);

  @Mixin SchemaPerSourceOption schemaPerSource;

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public Integer call() {
    FerryConfig config = from.loadConfig();
    from.refuseUrls();
    Sources.refuseRepeats(from.sources);
    List<Path> expanded =
        from.expand(config, badValues.policy(), null, WriterOutputStream.errStream(spec));
    List<Sources.Placed> sources =
        Sources.place(expanded, config, schemaPerSource.enabled, from.schema());
    PrintStream out = WriterOutputStream.printStream(spec);
    int exit = 0;
    List<String> differ = new ArrayList<>();
    for (Sources.Placed source : sources) {
      if (sources.size() > 1) {
        out.printf("%n== %s (schema %s) ==%n", source.file(), source.schema());
      }
      RunOptions options =
          from.reading(
              source.file(),
              to.target,
              source.schema(),
              config,
              (Verifier.Mode) settings.get(RunSetting.RECHECK),
              badValues.policy());
      int code = new Recheck(options, out, System.getenv()).run().exitCode();
      if (code != 0) {
        differ.add(source.file() + " (exit " + code + ")");
      }
      exit = Math.max(exit, code);
    }
    if (sources.size() > 1) {
      out.printf(
          "%nVerified %d sources: %s%n",
          sources.size(),
          differ.isEmpty()
              ? "every one equals its source"
              : differ.size() + " not equal: " + String.join(", ", differ));
    }
    out.flush();
    return exit;
  }
}
