package dev.ferry.cli;

import dev.ferry.sync.Sync;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "cutover",
    mixinStandardHelpOptions = true,
    description =
        "Switches a followed SQLite file to PostgreSQL: freezes the application's writes (SQLite's"
            + " write lock: they wait within their busy timeout), drains, verifies counts and"
            + " checksums, sets identity sequences, runs --exec, makes the SQLite tables refuse"
            + " writes naming PostgreSQL, releases. Over budget or not verified: nothing switched,"
            + " exit non-zero.")
final class CutoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SyncOptionsMixin sync;

  @Option(
      names = "--max-freeze",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description = "the longest writes may be frozen, e.g. 5s, 1500ms (default ${DEFAULT-VALUE})")
  String maxFreeze;

  @Option(
      names = "--exec",
      paramLabel = "CMD",
      description = "your own switch (e.g. restart the app on PostgreSQL), run while frozen")
  String exec;

  @Option(names = "--json", description = "print JSON: freeze_ms, verified, switched")
  boolean json;

  @Override
  public Integer call() {
    return Sync.cutover(
        sync.options(0, duration(maxFreeze), exec, json),
        WriterOutputStream.printStream(spec),
        System.getenv());
  }

  static Duration duration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
    } catch (NumberFormatException e) {
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.USAGE, "--max-freeze " + text + ": use seconds (5s) or ms (1500ms)");
    }
  }
}
