package dev.ferry.cli;

import dev.ferry.postgres.embedded.EmbeddedServer;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "pg",
    mixinStandardHelpOptions = true,
    description =
        "Manages the embedded PostgreSQL (data in .ferry/pg under the current directory).")
final class PgCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "start|stop|status|url", description = "what to do")
  String action;

  @Override
  public Integer call() {
    EmbeddedServer server = EmbeddedServer.in(Paths.get("").toAbsolutePath());
    var out = spec.commandLine().getOut();
    switch (action) {
      case "start" -> {
        String url = server.start().display();
        out.println(
            "embedded PostgreSQL " + EmbeddedServer.postgresVersion() + " running: psql " + url);
      }
      case "stop" -> {
        server.stop();
        out.println("embedded PostgreSQL stopped");
      }
      case "status" -> {
        boolean up = server.running();
        out.println(
            up
                ? "running: psql " + server.url().display()
                : "stopped (data: " + server.dataDirectory() + ")");
        return up ? 0 : 3;
      }
      case "url" -> out.println(server.url().display());
      default -> {
        spec.commandLine()
            .getErr()
            .println("ferry pg: unknown action '" + action + "': use start, stop, status or url");
        return 1;
      }
    }
    return 0;
  }
}
