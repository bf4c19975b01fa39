package dev.ferry.cli;

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
      names = "--seed",
      defaultValue = "1",
      description = "random seed (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    TwitterExample.write(out, tweets, seed);
    spec.commandLine()
        .getOut()
        .printf("wrote %s: %,d tweets in %.1f s%n", out, tweets, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
