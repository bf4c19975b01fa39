package dev.ferry.cli;

import dev.ferry.run.RunHistory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description =
        "Lists the runs recorded in the target (ferry.runs): id, start, state, exit code, schema, tables, rows, source.")
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "the PostgreSQL (default as for migrate)")
  String target;

  @Override
  public Integer call() {
    PrintStream out =
        new PrintStream(
            new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    return new RunHistory(target, Paths.get("").toAbsolutePath(), System.getenv(), out).list();
  }
}
