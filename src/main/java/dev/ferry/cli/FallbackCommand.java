package dev.ferry.cli;

import dev.ferry.sync.Sync;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "fallback",
    mixinStandardHelpOptions = true,
    description =
        "The way back after ferry cutover: freezes writes to the migrated PostgreSQL tables (reads"
            + " go on), applies the writes PostgreSQL took since the switch into the SQLite file,"
            + " verifies both sides equal, bumps sqlite_sequence past PostgreSQL's values, runs"
            + " --exec, lets SQLite take writes again, makes the PostgreSQL tables refuse writes"
            + " naming the file, releases. Not verified: nothing switched, exit non-zero.")
final class FallbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SyncOptionsMixin sync;

  @Option(
      names = "--exec",
      paramLabel = "CMD",
      description = "your own switch (e.g. restart the app on SQLite), run while frozen")
  String exec;

  @Option(names = "--json", description = "print JSON: freeze_ms, verified, switched, phases_ms")
  boolean json;

  @Override
  public Integer call() {
    return Sync.fallback(
        sync.options(0, null, exec, json), WriterOutputStream.printStream(spec), System.getenv());
  }
}
