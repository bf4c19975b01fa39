package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command line that names a subcommand builds only that one, and it is the same command as in the
 * whole command line: the same options, help and exit codes. Anything else gets them all.
 */
class OneCommandLineTest {
  @Test
  void eachSubcommandBuiltAloneIsTheOneOfTheWholeCommandLine() {
    CommandLine whole = Main.commandLine();
    assertThat(whole.getSubcommands()).hasSameSizeAs(FerryCommand.SUBCOMMANDS);
    for (Class<?> c : FerryCommand.SUBCOMMANDS) {
      String name = c.getAnnotation(Command.class).name();
      CommandLine alone = Main.commandLine(List.of(name, "--help"));
      assertThat(alone.getSubcommands().keySet()).containsExactly(name);
      CommandLine one = alone.getSubcommands().get(name);
      CommandLine same = whole.getSubcommands().get(name);
      assertThat(one.getUsageMessage(CommandLine.Help.Ansi.OFF))
          .as(name)
          .isEqualTo(same.getUsageMessage(CommandLine.Help.Ansi.OFF));
      assertThat(one.getCommandSpec().options().stream().map(o -> o.longestName()).toList())
          .as(name)
          .isEqualTo(same.getCommandSpec().options().stream().map(o -> o.longestName()).toList());
    }
  }

  @Test
  void anythingButASubcommandsNameGetsThemAll() {
    List<String> all = List.copyOf(Main.commandLine().getSubcommands().keySet());
    for (List<String> args :
        List.of(
            List.<String>of(),
            List.of("--help"),
            List.of("--version"),
            List.of("migrat"),
            List.of("MIGRATE"),
            List.of("-q", "migrate"))) {
      assertThat(Main.commandLine(args).getSubcommands().keySet())
          .as("%s", args)
          .containsExactlyElementsOf(all);
    }
  }
}
