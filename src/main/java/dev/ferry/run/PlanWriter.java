package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.map.MappingPreview;
import dev.ferry.map.Mappings;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.files.FileStores;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ferry plan}: writes the complete plan as a commented ferry.yaml that {@code ferry migrate
 * --config} runs exactly (every column's type as a cast, with the reason; schemas; priorities;
 * keep), the target schema as a Flyway-style {@code V1__ferry_initial.sql} so the application can
 * take its schema over with Flyway or Liquibase, and {@code ferry-routing.json}, which says for
 * each table whether it lives in PostgreSQL or stays in SQLite (keep:).
 */
public final class PlanWriter {
  private static final String SQL_HEADER =
      """
      -- Ferry's target schema, as `ferry migrate` creates it (tables, keys, indexes,
      -- foreign keys, views). A Flyway or Liquibase baseline for the application.

      """;

  private final List<RunOptions> sources;
  private final FerryConfig config;
  private final Path out;
  private final String target;
  private final PrintStream console;

  public PlanWriter(
      List<RunOptions> sources, FerryConfig config, Path out, String target, PrintStream console) {
    this.sources = sources;
    this.config = config;
    this.out = out.toAbsolutePath();
    this.target = target;
    this.console = console;
  }

  /** What the plans of every source add to the three files. */
  private static final class Parts {
    final StringBuilder sql = new StringBuilder(SQL_HEADER);
    final List<Map<String, Object>> routes = new ArrayList<>();
    final StringBuilder casts = new StringBuilder();
    final StringBuilder schemas = new StringBuilder();
    final StringBuilder priorities = new StringBuilder();
    final StringBuilder mapping = new StringBuilder();
    boolean mappingReady = true;
  }

  public int run() {
    boolean many = sources.size() > 1;
    Parts parts = new Parts();
    for (RunOptions o : sources) {
      add(o, many, parts);
    }
    String command = String.join(" ", named());
    Path dir = out.getParent();
    try {
      Files.createDirectories(dir);
      Files.writeString(out, yaml(parts, many, command), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("V1__ferry_initial.sql"), parts.sql, StandardCharsets.UTF_8);
      Map<String, Object> routing = new LinkedHashMap<>();
      routing.put("postgresql", target == null ? "the target given to ferry migrate" : target);
      routing.put("tables", parts.routes);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(dir.resolve("ferry-routing.json").toFile(), routing);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot write the plan to " + dir + ": " + e.getMessage(), e);
    }
    console.println(
        "Wrote "
            + out
            + ", "
            + dir.resolve("V1__ferry_initial.sql")
            + " and "
            + dir.resolve("ferry-routing.json"));
    if (!parts.mappingReady) {
      console.println(
          "Not ready: ferry.yaml's map: has problems (listed above) that would stop the run.");
      return ErrorCode.USAGE.exitCode();
    }
    console.println(
        "Review it, then: ferry migrate --config "
            + out
            + (many ? " --schema-per-source " : " ")
            + command);
    return 0;
  }

  /** Plans one source and adds its schema, priorities, casts, routes and DDL. */
  private void add(RunOptions o, boolean many, Parts parts) {
    String name = o.sourceName();
    SqliteSource source = o.openSource();
    SourceSchema schema = source.readSchema();
    MigrationPlan plan = Planner.plan(source, schema, o.planOptions());
    MappingPreview mapping =
        MappingReview.preview(o, source, schema, System.getenv(), console::println);
    if (mapping != null) {
      mapping.lines().forEach(console::println);
      mapping.lines().forEach(l -> parts.mapping.append("# ").append(l).append('\n'));
      parts.mappingReady &= mapping.ready();
    }
    parts.schemas.append("  ").append(key(name)).append(": ").append(plan.schema()).append('\n');
    parts.priorities.append("  ").append(key(name)).append(": ");
    parts.priorities.append(config.priority(name, null)).append('\n');
    // a source.table priority is kept as written (P0 moves before P1 within the source)
    config.priorities().entrySet().stream()
        .filter(e -> e.getKey().startsWith(name.toLowerCase(Locale.ROOT) + "."))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                parts
                    .priorities
                    .append("  ")
                    .append(key(e.getKey()))
                    .append(": ")
                    .append(e.getValue())
                    .append('\n'));
    for (TablePlan t : plan.tables()) {
      casts(o, name, many, plan, t, parts.casts);
      parts.routes.add(route(o, t.source().name(), "postgresql", plan.schema(), t.name()));
    }
    for (SourceTable kept : schema.tables()) {
      if (config.kept(name).contains(kept.name().toLowerCase(Locale.ROOT))) {
        parts.routes.add(route(o, kept.name(), "sqlite", null, null));
      }
    }
    parts.sql.append("-- from ").append(o.source().getFileName()).append('\n');
    parts.sql.append(Ddl.script(plan)).append('\n');
  }

  /** Every column's type as a cast, with the reason; the table's notes as comments. */
  private static void casts(
      RunOptions o,
      String name,
      boolean many,
      MigrationPlan plan,
      TablePlan t,
      StringBuilder casts) {
    casts.append(
        String.format(
            Locale.ROOT,
            "  # %s: %s (%,d rows) → %s.%s%n",
            o.source().getFileName(),
            t.source().name(),
            t.rowCount(),
            plan.schema(),
            t.name()));
    for (ColumnPlan c : t.columns()) {
      String k = (many ? name + "." : "") + t.source().name() + "." + c.source().name();
      casts.append("  ").append(key(k)).append(": ").append(c.type().sql());
      casts.append("  # ").append(c.choice().reason().replace('\n', ' ')).append('\n');
    }
    t.notes()
        .forEach(
            n ->
                casts
                    .append("  #   not carried exactly: ")
                    .append(n.toString().replace('\n', ' '))
                    .append('\n'));
  }

  /**
   * What the user named: a staged source by its file or directory (SQLite files found inside such a
   * directory come with it), else the file.
   */
  private List<String> named() {
    List<String> origins = new ArrayList<>();
    List<String> plainFiles = new ArrayList<>();
    for (RunOptions o : sources) {
      String origin = o.staged() ? FileStores.origin(o.source()) : null;
      if (origin != null) {
        origins.add(origin);
      } else {
        plainFiles.add(o.source().toString());
      }
    }
    List<String> named = new ArrayList<>(origins);
    for (String f : plainFiles) {
      String abs = Path.of(f).toAbsolutePath().normalize().toString();
      if (origins.stream().noneMatch(d -> abs.startsWith(d + java.io.File.separator))) {
        named.add(f);
      }
    }
    return named;
  }

  private String yaml(Parts parts, boolean many, String command) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Ferry plan, written ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" by ferry ")
        .append(Version.current())
        .append(".\n")
        .append("# Run exactly this plan:  ferry migrate --config ")
        .append(out.getFileName())
        .append(many ? " --schema-per-source " : " ")
        .append(command)
        .append('\n')
        .append(
            "# Every column's type is written below as a cast, with the reason it was chosen. Edit a type to\n")
        .append(
            "# force another (values that do not fit follow --on-bad-value); delete a line to let Ferry\n")
        .append(
            "# choose again from the data. The same schema as SQL: V1__ferry_initial.sql beside this file.\n\n")
        .append("schemas:      # each source's schema (with --schema-per-source)\n")
        .append(parts.schemas)
        .append("priorities:   # P0 moves before P1 before P2; a source.table can have its own\n")
        .append(parts.priorities)
        .append(
            config.keep().isEmpty()
                ? "keep: []      # tables that stay in SQLite (see ferry-routing.json)\n"
                : "keep:         # tables that stay in SQLite (see ferry-routing.json)\n");
    config.keep().forEach(k -> yaml.append("  - ").append(key(k)).append('\n'));
    yaml.append("casts:\n").append(parts.casts);
    if (!config.map().isEmpty()) {
      yaml.append("map:          # into your own tables (see the mapping below)\n");
      config.map().forEach(m -> yaml.append("  ").append(Mappings.yaml(m)).append('\n'));
      yaml.append(parts.mapping);
    }
    return yaml.toString();
  }

  private static Map<String, Object> route(
      RunOptions o, String table, String store, String schema, String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("source", StagedInputs.named(o));
    r.put("table", table);
    r.put("store", store);
    if (schema != null) {
      r.put("schema", schema);
      r.put("name", name);
    }
    return r;
  }

  /** A YAML key, double-quoted when it is not a plain word. */
  private static String key(String k) {
    return k.matches("[A-Za-z0-9_.$-]+")
        ? k
        : '"' + k.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
