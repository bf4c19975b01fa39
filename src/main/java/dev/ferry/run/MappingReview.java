package dev.ferry.run;

import dev.ferry.load.PostgresTarget;
import dev.ferry.map.MappingPreview;
import dev.ferry.map.Mappings;
import dev.ferry.map.TableMapping;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * ferry.yaml's {@code map:} as plan, inspect and {@code migrate --dry-run} show it ({@link
 * Mappings#preview}), read against the target the run would use (--target, DATABASE_URL, PG*, else
 * the embedded server): nothing is written.
 */
public final class MappingReview {
  private MappingReview() {}

  /** The preview of the options' {@code map:}, or null when ferry.yaml has none. */
  public static MappingPreview preview(
      RunOptions options,
      Source source,
      SourceSchema schema,
      Map<String, String> env,
      Consumer<String> say) {
    if (options.config().map().isEmpty()) {
      return null;
    }
    Path workDir = options.workDir() != null ? options.workDir() : Path.of("").toAbsolutePath();
    TargetUrl url = Targets.resolve(options.target(), workDir, env, say);
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      return Mappings.preview(options.config().map(), source, schema, target.dataSource());
    }
  }

  /**
   * A {@code map:} skeleton of the options' source for the existing tables of {@code into} (SCHEMA
   * or SCHEMA.TABLE) of the target the run would use.
   */
  public static String skeleton(
      RunOptions options, String into, Map<String, String> env, Consumer<String> say) {
    dev.ferry.source.sqlite.SqliteSource source =
        dev.ferry.source.sqlite.SqliteSource.open(options.source());
    SourceSchema schema = source.readSchema();
    Path workDir = options.workDir() != null ? options.workDir() : Path.of("").toAbsolutePath();
    TargetUrl url = Targets.resolve(options.target(), workDir, env, say);
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      return Mappings.skeleton(source, schema, target.dataSource(), into);
    }
  }

  /** {@code plan} without the source tables ferry.yaml's {@code map:} takes. */
  static MigrationPlan withoutMapped(MigrationPlan plan, RunOptions options) {
    return without(plan, options.config().map());
  }

  /** The plan without the source tables {@code entries} map. */
  static MigrationPlan without(MigrationPlan plan, List<TableMapping> entries) {
    Set<String> taken = new HashSet<>();
    entries.forEach(m -> taken.add(m.source().toLowerCase(Locale.ROOT)));
    if (taken.isEmpty()) {
      return plan;
    }
    List<TablePlan> tables =
        plan.tables().stream()
            .filter(t -> !taken.contains(t.source().name().toLowerCase(Locale.ROOT)))
            .toList();
    return new MigrationPlan(plan.source(), plan.schema(), tables, plan.views(), plan.notes());
  }
}
