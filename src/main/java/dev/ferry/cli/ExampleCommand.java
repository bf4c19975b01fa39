package dev.ferry.cli;

import dev.ferry.examples.DirtyExample;
import dev.ferry.examples.TwitterExample;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description =
        "Writes an example SQLite database shaped like a real app's (seed 001: tweets, users, queues).")
final class ExampleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OUT.db", description = "file to create")
  Path out;

  @Option(
      names = "--tweets",
      defaultValue = "2000",
      description = "number of tweets (default ${DEFAULT-VALUE}); users = tweets/100")
  int tweets;

  @Option(
      names = "--kind",
      defaultValue = "twitter",
      paramLabel = "twitter|dirty",
      description =
          "twitter: seed 001's shape (default); dirty: every kind of value PostgreSQL cannot take as is")
  String kind;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    switch (kind) {
      case "twitter" -> TwitterExample.write(out, tweets, seed);
      case "dirty" -> DirtyExample.write(out, Math.max(30, tweets / 100));
      default -> {
        spec.commandLine().getErr().println("ferry example: --kind must be twitter or dirty");
        return 1;
      }
    }
    spec.commandLine()
        .getOut()
        .printf("wrote %s: %,d tweets in %.1f s%n", out, tweets, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
