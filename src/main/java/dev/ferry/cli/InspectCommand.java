package dev.ferry.cli;

import dev.ferry.run.Inspection;
import dev.ferry.run.RunOptions;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Shows, per table and column, the declared type, what is actually stored (SQLite storage classes with counts), the PostgreSQL type Ferry would choose and why, and the anomalies. Reads the source only.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin BadValueOption badValues;

  @Option(names = "--json", description = "print JSON for machines")
  boolean json;

  @Override
  public Integer call() {
    dev.ferry.config.FerryConfig config = from.loadConfig();
    RunOptions options =
        from.reading(
            from.single("inspect", config, WriterOutputStream.errStream(spec), badValues.policy()),
            null,
            from.schema(),
            config,
            null,
            null);
    PrintStream out = WriterOutputStream.printStream(spec);
    new Inspection(options, out).run(json);
    return 0;
  }
}
