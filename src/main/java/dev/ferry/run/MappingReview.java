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

  /** What a dry run shows: the mapping (null when none) and the plan of Ferry's own tables. */
  record DryRunMapping(MappingPreview mapping, MigrationPlan plan) {}

  /**
   * The dry run's view of {@code full}: ferry.yaml's {@code map:} and, with {@code --if-exists
   * append}, the implicit entries the run would add for existing tables whose columns differ from
   * the plan, previewed against the target; the plan without the tables they take. With no {@code
   * map:}, a target not named (the embedded server is not started for this) or unreachable only
   * leaves the implicit entries unshown, and says so.
   */
  static DryRunMapping forDryRun(
      RunOptions options,
      Source source,
      SourceSchema schema,
      MigrationPlan full,
      Map<String, String> env,
      Consumer<String> say) {
    List<TableMapping> entries = new java.util.ArrayList<>(options.config().map());
    boolean append = options.ifExists() == dev.ferry.load.IfExists.APPEND;
    if (entries.isEmpty() && !append) {
      return new DryRunMapping(null, full);
    }
    Path workDir = options.workDir() != null ? options.workDir() : Path.of("").toAbsolutePath();
    boolean named = TargetUrl.resolve(options.target(), env) != null;
    if (entries.isEmpty() && !named) { // a dry run never starts the embedded server for this
      say.accept(
          "No target named (--target, DATABASE_URL, PG*), so the tables --if-exists append would"
              + " load into existing tables whose columns differ are not shown.");
      return new DryRunMapping(null, full);
    }
    try (PostgresTarget target =
        PostgresTarget.connect(Targets.resolve(options.target(), workDir, env, say), 1)) {
      if (append) {
        entries.addAll(MappedStage.implicitEntries(without(full, entries), target.dataSource()));
      }
      if (entries.isEmpty()) {
        return new DryRunMapping(null, full);
      }
      MappingPreview preview = Mappings.preview(entries, source, schema, target.dataSource());
      return new DryRunMapping(preview, without(full, entries));
    } catch (dev.ferry.FerryException e) {
      if (!options.config().map().isEmpty() || e.code() != dev.ferry.ErrorCode.TARGET_UNREACHABLE) {
        throw e;
      }
      say.accept(
          "The target is unreachable, so the tables --if-exists append would load into existing"
              + " tables whose columns differ are not shown.");
      return new DryRunMapping(null, full);
    }
  }

  /**
   * A {@code map:} skeleton of the options' source for the existing tables of {@code into} (SCHEMA
   * or SCHEMA.TABLE) of the target the run would use.
   */
  public static String skeleton(
      RunOptions options, String into, Map<String, String> env, Consumer<String> say) {
    dev.ferry.source.sqlite.SqliteSource source = options.openSource();
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
