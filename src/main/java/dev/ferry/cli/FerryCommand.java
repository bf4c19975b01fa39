package dev.ferry.cli;

import dev.ferry.run.Version;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = FerryCommand.VersionProvider.class,
    description =
        "Moves SQLite databases to PostgreSQL: faithful types and constraints, verified row by row.")
final class FerryCommand implements Runnable {
  /**
   * The subcommands, in the order the help lists them. Registered by {@link Main#commandLine}
   * rather than in the annotation, so that a command line naming one builds only that one's model
   * (picocli reads every option of every registered command by reflection at start).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          MaintainCommand.class);

  /** The subcommand named exactly {@code name} (or one of its aliases), or null. */
  static Class<?> named(String name) {
    for (Class<?> c : SUBCOMMANDS) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
        return c;
      }
    }
    return null;
  }

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
