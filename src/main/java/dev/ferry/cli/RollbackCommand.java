package dev.ferry.cli;

import dev.ferry.run.RunHistory;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Removes exactly the tables, views and schema a run created, and nothing else; refuses,"
            + " naming them, when other objects depend on them or a later run loaded into them. Rows a run"
            + " appended to tables it did not create are not removed.")
final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOption to;

  @Parameters(
      index = "0",
      paramLabel = "RUN-ID",
      description = "the run to undo (`ferry runs` lists them)")
  String run;

  @Override
  public Integer call() {
    PrintStream out = WriterOutputStream.printStream(spec);
    return new RunHistory(to.target, Paths.get("").toAbsolutePath(), System.getenv(), out)
        .rollback(run);
  }
}
