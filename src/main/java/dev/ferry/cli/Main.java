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
    CommandLine cli = new CommandLine(new FerryCommand());
    Settings.install(cli);
    exitCodeHelp(cli);
    exitCodeHelp(cli.getSubcommands().get("migrate"));
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
    CommandLine cli = commandLine();
    List<String> given = List.of(args);
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
