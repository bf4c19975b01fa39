package dev.ferry.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.SavedQuery;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import dev.ferry.run.RunSetting;
import dev.ferry.serve.Explorer;
import dev.ferry.serve.NamedQuery;
import dev.ferry.serve.ServeOptions;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serves a REST API (read-only unless --write) and web explorer over the migrated data, with the"
            + " migration's evidence (runs, verdicts, fixups, set-aside rows), /health and /metrics"
            + " (Prometheus). Runs until stopped (Ctrl-C).")
final class ServeCommand implements Callable<Integer>, Settings.Taker {
  @Spec CommandSpec spec;

  private final Settings settings = new Settings(RunSetting.CONFIG); // its queries: section

  @Override
  public Settings settings() {
    return settings;
  }

  @Mixin TargetOption to;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE}; others need --token)")
  String bind;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "require Authorization: Bearer TOKEN on /api and /metrics (or FERRY_TOKEN); needed to"
              + " bind beyond loopback")
  String token;

  @Option(
      names = "--write",
      description =
          "turn on the write endpoints (PATCH/DELETE/POST …/rows with filters, undo of"
              + " /api/audit entries), each recorded in ferry.audit; needs --token, even on"
              + " loopback")
  boolean write;

  @Option(
      names = "--statement-timeout",
      defaultValue = "5000",
      paramLabel = "MS",
      description = "longest a request's query may run (default ${DEFAULT-VALUE} ms)")
  int statementTimeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintStream out = WriterOutputStream.printStream(spec);
    Path config = (Path) settings.get(RunSetting.CONFIG);
    List<NamedQuery> queries =
        config == null ? List.of() : queries(FerryConfig.load(config), config.toString());
    TargetUrl url = TargetUrl.resolve(to.target, System.getenv());
    if (url == null) {
      url = EmbeddedServer.in(Paths.get("").toAbsolutePath()).start();
    }
    String t = token != null ? token : System.getenv("FERRY_TOKEN");
    ServeOptions options = new ServeOptions(url, port, bind, t, statementTimeout, write, queries);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HikariDataSource db = Explorer.readOnlyPool(options, metrics);
    Javalin app;
    try {
      app = Explorer.listen(Explorer.app(db, options, metrics), options);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    out.printf(
        "Ferry explorer on http://%s:%d/ over %s%s%s (Ctrl-C stops it)%n",
        host,
        app.port(),
        url.display(),
        t != null ? ", bearer token required" : "",
        write ? ", WRITES ON (recorded in ferry.audit)" : "");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.stop();
                  db.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  /** ferry.yaml's queries: as the explorer takes them (it checks them before it connects). */
  private static List<NamedQuery> queries(FerryConfig config, String file) {
    return config.queries().stream()
        .map(
            (SavedQuery q) ->
                new NamedQuery(
                    q.name(),
                    q.title(),
                    q.description(),
                    q.sql(),
                    q.params().stream()
                        .map(
                            p ->
                                new NamedQuery.Param(
                                    p.name(), p.type(), p.defaultValue(), p.description()))
                        .toList(),
                    file + ":" + q.line()))
        .toList();
  }
}
