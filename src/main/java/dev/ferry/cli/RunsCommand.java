package dev.ferry.cli;

import dev.ferry.run.RunHistory;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description =
        "Lists the runs recorded in the target (ferry.runs): id, start, state, exit code, schema, tables, rows, source.")
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOption to;

  @Override
  public Integer call() {
    PrintStream out = WriterOutputStream.printStream(spec);
    return new RunHistory(to.target, Paths.get("").toAbsolutePath(), System.getenv(), out).list();
  }
}
