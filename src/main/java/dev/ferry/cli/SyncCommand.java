package dev.ferry.cli;

import dev.ferry.sync.Sync;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Live migration: follow a SQLite file the application keeps writing (see docs/SYNC.md).",
    subcommands = {SyncCommand.Start.class, SyncCommand.Status.class, SyncCommand.Stop.class})
final class SyncCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Installs change capture (triggers and a key-only changelog) in the SQLite file, copies it"
              + " with the migration pipeline, then applies every later change until ferry sync"
              + " stop. Killed or stopped, the same command continues from the stored position."
              + " The file must be in WAL mode.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SyncOptionsMixin sync;

    @Option(
        names = "--metrics-port",
        paramLabel = "N",
        description = "serve Prometheus metrics on http://127.0.0.1:N/metrics")
    int metricsPort;

    @Override
    public Integer call() {
      return Sync.start(
          sync.options(metricsPort, null, null, false),
          WriterOutputStream.printStream(spec),
          System.getenv());
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "State (copying, following, frozen, switched, stopped), lag, backlog, applied changes"
              + " and direction.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SyncOptionsMixin sync;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      return Sync.status(
          sync.options(0, null, null, json), WriterOutputStream.printStream(spec), System.getenv());
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Ends following (a running sync start exits) and removes every capture object on both"
              + " sides; the migrated tables and their data stay.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SyncOptionsMixin sync;

    @Override
    public Integer call() {
      return Sync.stop(
          sync.options(0, null, null, false),
          WriterOutputStream.printStream(spec),
          System.getenv());
    }
  }
}
