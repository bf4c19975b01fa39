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
        "Shows, per table and column, the declared type, what is actually stored (SQLite storage classes with counts), the PostgreSQL type Ferry would choose and why, and the anomalies. Reads the source only; with a map: in ferry.yaml, also the target's catalog, to show each mapped column's target, type and conversion and the problems the run would stop on (exit 1).")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin BadValueOption badValues;

  @Mixin TargetOption to;

  @Option(names = "--json", description = "print JSON for machines")
  boolean json;

  @Override
  public Integer call() {
    dev.ferry.config.FerryConfig config = from.loadConfig();
    RunOptions options =
        from.reading(
            from.single("inspect", config, WriterOutputStream.errStream(spec), badValues.policy()),
            to.target,
            from.schema(),
            config,
            null,
            null);
    PrintStream out = WriterOutputStream.printStream(spec);
    boolean ready = new Inspection(options, out).run(json).ready();
    out.flush();
    return ready ? 0 : dev.ferry.ErrorCode.USAGE.exitCode(); // the mapping would stop the run
  }
}
