package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.run.MappingReview;
import dev.ferry.run.PlanWriter;
import dev.ferry.run.RunOptions;
import dev.ferry.source.files.FileStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  @Option(
      names = "--into",
      paramLabel = "SCHEMA[.TABLE]",
      description =
          "instead of the plan, write a map: skeleton (to --output) that loads the source's tables"
              + " into your existing tables in SCHEMA (or into TABLE) of --target: tables and columns"
              + " matched by name, the rest under drop:, NOT NULL columns nothing fills as TODOs,"
              + " transforms suggested from the values")
  String into;

  @Override
  public Integer call() {
    FerryConfig config = from.loadConfig();
    List<RunOptions> sources = new ArrayList<>();
    List<Path> expanded =
        from.expand(config, badValues.policy(), null, WriterOutputStream.errStream(spec));
    for (Path source : expanded) {
      String name = RunOptions.sourceName(source);
      String schema =
          schemaPerSource.enabled || expanded.size() > 1
              ? config.schemas().getOrDefault(name, Sources.schemaName(name))
              : from.schema();
      sources.add(from.reading(source, to.target, schema, config, null, null));
    }
    if (into != null) {
      return skeleton(sources, expanded);
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

  /** --into: the map: skeleton of the one source, written to --output. */
  private int skeleton(List<RunOptions> sources, List<Path> expanded) {
    if (sources.size() != 1) {
      throw new FerryException(
          ErrorCode.USAGE,
          "--into writes the mapping of one source; these are "
              + sources.size()
              + ": "
              + expanded
              + ". Plan each on its own");
    }
    RunOptions o = sources.get(0);
    java.io.PrintStream console = WriterOutputStream.printStream(spec);
    String map = MappingReview.skeleton(o, into, System.getenv(), console::println);
    String origin = o.staged() ? FileStores.origin(o.source()) : null;
    String named = origin != null ? origin : o.source().toString();
    String text =
        "# Mapping skeleton written by `ferry plan --into "
            + into
            + "` for "
            + named
            + ".\n# Fill every TODO, check drop: and transform:, look at what it will do with\n"
            + "#   ferry inspect "
            + named
            + " --config "
            + output.getFileName()
            + " --target URL\n# then run it:  ferry migrate "
            + named
            + " --config "
            + output.getFileName()
            + " --target URL\n\n"
            + map;
    try {
      Path abs = output.toAbsolutePath();
      Files.createDirectories(abs.getParent());
      Files.writeString(abs, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot write the mapping to " + output + ": " + e.getMessage(), e);
    }
    long todos = text.lines().filter(l -> l.contains("# TODO")).count();
    console.println(
        "Wrote "
            + output.toAbsolutePath()
            + (todos == 0 ? "" : " (" + todos + " TODO" + (todos == 1 ? "" : "s") + " to fill)"));
    console.println("Then: ferry migrate " + named + " --config " + output + " --target URL");
    return 0;
  }
}
