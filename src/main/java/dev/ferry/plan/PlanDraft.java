package dev.ferry.plan;

import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan whose big tables' types were chosen from a sample ({@link Planner#draft}), finished by the
 * load: each sampled table's load profiles every value it reads ({@link SampledTable}) and reports
 * the full profile here, which designs the plan again. Once every sampled table has reported,
 * {@link #plan()} is exactly the plan a full profiling pass gives ({@link Planner#plan}), because
 * it is designed by the same code from the same profiles. Thread-safe: tables load in parallel.
 */
public final class PlanDraft {
  private final Source source;
  private final SourceSchema schema;
  private final List<SourceTable> tables;
  private final PlanOptions options;
  private final Map<String, TableProfiler.TableProfile> profiles;
  private final Map<String, TableProfiler.TableProfile> samples;
  private MigrationPlan plan;

  PlanDraft(
      Source source,
      SourceSchema schema,
      List<SourceTable> tables,
      PlanOptions options,
      Map<String, TableProfiler.TableProfile> full,
      Map<String, TableProfiler.TableProfile> samples) {
    this.source = source;
    this.schema = schema;
    this.tables = tables;
    this.options = options;
    this.samples = new HashMap<>(samples);
    this.profiles = new HashMap<>(full);
    this.profiles.putAll(samples);
    this.plan = Planner.design(schema, tables, profiles, options);
  }

  /** The plan as known now: after the load, the plan of the full profiles. */
  public synchronized MigrationPlan plan() {
    return plan;
  }

  /** How many tables' types are still from a sample (their load has not reported). */
  public synchronized int sampledTables() {
    return samples.size();
  }

  /**
   * The check a load of {@code table} must run over every row, or null when the table's types come
   * from a full profile already.
   */
  public synchronized SampledTable sampled(TablePlan table) {
    TableProfiler.TableProfile sample = samples.get(table.source().name());
    return sample == null
        ? null
        : new SampledTable(this, table, sample, Planner.casts(options, table.source()));
  }

  /** Records a table's full profile and returns the table as the finished plan designs it. */
  synchronized TablePlan profiled(SourceTable table, TableProfiler.TableProfile full) {
    profiles.put(table.name(), full);
    samples.remove(table.name());
    plan = Planner.design(schema, tables, profiles, options);
    return plan.tables().stream()
        .filter(t -> t.source().name().equals(table.name()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The full profile of one table: a pass over all of it (a value did not fit the sample's types).
   */
  TableProfiler.TableProfile profileFully(SourceTable table) {
    return Planner.profileAll(source, List.of(table), options.jobs()).get(table.name());
  }
}
