package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.run.PlanWriter;
import dev.ferry.run.RunOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Writes the complete plan as a commented ferry.yaml that `ferry migrate --config` runs exactly"
            + " (every column's type and why, schemas, priorities, keep), the target schema as"
            + " V1__ferry_initial.sql for Flyway or Liquibase, and ferry-routing.json (which tables live in"
            + " PostgreSQL and which stay in SQLite). Reads the sources only.")
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "ferry.yaml",
      paramLabel = "FILE",
      description =
          "where to write the plan (default: ${DEFAULT-VALUE}; the SQL and routing files go beside it)")
  Path output;

  @Mixin SchemaPerSourceOption schemaPerSource;

  @Override
  public Integer call() {
    FerryConfig config = from.loadConfig();
    List<RunOptions> sources = new ArrayList<>();
    List<Path> expanded =
        from.expand(
            config,
            badValues.policy(),
            null,
            WriterOutputStream.errStream(spec),
            new java.util.HashSet<>());
    for (Path source : expanded) {
      String name = RunOptions.sourceName(source);
      String schema =
          schemaPerSource.enabled || expanded.size() > 1
              ? config.schemas().getOrDefault(name, Sources.schemaName(name))
              : from.schema();
      sources.add(from.reading(source, to.target, schema, config, null, null));
    }
    TargetUrl url = TargetUrl.resolve(to.target, System.getenv());
    return new PlanWriter(
            sources,
            config,
            output,
            url == null ? null : url.display(),
            WriterOutputStream.printStream(spec))
        .run();
  }
}
