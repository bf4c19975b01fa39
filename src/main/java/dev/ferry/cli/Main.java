package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.Redaction;
import dev.ferry.run.Migration;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** {@code ferry}: the command-line entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("migrate")) {
      Migration.warmUp(); // the libraries load on the second core while picocli parses
    }
    System.exit(
        run(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /**
   * The whole command line, its run-setting options generated from {@code RunSetting} and its
   * exit-code lists from {@link ErrorCode.Exit}.
   */
  static CommandLine commandLine() {
    return commandLine(List.of());
  }

  /**
   * The command line for {@code args}: when the first names a subcommand, only that one is built
   * (building the models of all thirteen, by reflection, was 0.3–0.5 s of the main thread at every
   * start on the loaded 2-core machine); anything else (no command, an option, a misspelled
   * command) gets them all, for the help and picocli's suggestions.
   */
  static CommandLine commandLine(List<String> args) {
    CommandLine cli = new CommandLine(new FerryCommand());
    Class<?> only = args.isEmpty() ? null : FerryCommand.named(args.get(0));
    for (Class<?> c : FerryCommand.SUBCOMMANDS) {
      if (only == null || c == only) {
        cli.addSubcommand(c);
      }
    }
    Settings.install(cli);
    exitCodeHelp(cli);
    CommandLine migrate = cli.getSubcommands().get("migrate");
    if (migrate != null) {
      exitCodeHelp(migrate);
    }
    return cli;
  }

  /** The "Exit codes:" section of a command's help, one line per {@link ErrorCode.Exit}. */
  static void exitCodeHelp(CommandLine command) {
    Map<String, String> list = new LinkedHashMap<>();
    for (ErrorCode.Exit e : ErrorCode.Exit.values()) {
      list.put(Integer.toString(e.code()), e.meaning());
    }
    command
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(list);
  }

  /** Runs a command line and returns its exit code (tests call this directly). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    List<String> given = List.of(args);
    CommandLine cli = commandLine(given);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("ferry: error: " + Redaction.scrub(e.getMessage(), given));
          c.getErr()
              .println(
                  "Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
          return ErrorCode.USAGE.exitCode();
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          FerryException fe =
              e instanceof FerryException f
                  ? f
                  : new FerryException(
                      ErrorCode.INTERNAL,
                      "internal error (a bug in ferry; please report it): " + e,
                      e);
          commandLine.getErr().println("ferry: error: " + Redaction.scrub(fe.getMessage(), given));
          if (fe.code() == ErrorCode.INTERNAL) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            commandLine.getErr().print(Redaction.scrub(trace.toString(), given));
          }
          commandLine.getErr().flush();
          return fe.code().exitCode();
        });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(
          "ferry: error: out of memory ("
              + e.getMessage()
              + "); this is a bug for streamed work: please report it. FERRY_JAVA_OPTS=-Xmx2g raises"
              + " the limit meanwhile");
      err.flush();
      return ErrorCode.INTERNAL.exitCode();
    }
  }
}
