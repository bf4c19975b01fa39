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

  @Parameters(
      index = "0",
      paramLabel = "OUT",
      description = "file (or, for knowledge-base and bot, directory) to create")
  Path out;

  @Option(
      names = "--tweets",
      defaultValue = "2000",
      description = "number of tweets (default ${DEFAULT-VALUE}); users = tweets/100")
  int tweets;

  @Option(
      names = "--kind",
      defaultValue = "twitter",
      paramLabel = "twitter|dirty|knowledge-base|bot",
      description =
          "twitter: seed 001's SQLite shape (default); dirty: every kind of value PostgreSQL cannot"
              + " take as is; knowledge-base: seed 000's JSON files (a directory); bot: seed 003's"
              + " drafts/ and logs/ (a directory)")
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
      case "knowledge-base" ->
          dev.ferry.examples.FileStoresExample.knowledgeBase(out, tweets, seed);
      case "bot" -> dev.ferry.examples.FileStoresExample.bot(out, Math.max(1, tweets / 10), seed);
      default -> {
        spec.commandLine()
            .getErr()
            .println("ferry example: --kind must be twitter, dirty, knowledge-base or bot");
        return 1;
      }
    }
    spec.commandLine()
        .getOut()
        .printf("wrote %s: %,d tweets in %.1f s%n", out, tweets, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
