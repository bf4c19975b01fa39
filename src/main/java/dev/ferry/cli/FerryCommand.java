package dev.ferry.cli;

import dev.ferry.run.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = FerryCommand.VersionProvider.class,
    description =
        "Moves SQLite databases to PostgreSQL: faithful types and constraints, verified row by row.",
    subcommands = {
      MigrateCommand.class,
      PlanCommand.class,
      InspectCommand.class,
      VerifyCommand.class,
      PgCommand.class,
      RunsCommand.class,
      RollbackCommand.class,
      ServeCommand.class,
      ExampleCommand.class,
      SyncCommand.class,
      CutoverCommand.class,
      FallbackCommand.class,
      MaintainCommand.class
    })
final class FerryCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ferry " + Version.current()};
    }
  }
}
