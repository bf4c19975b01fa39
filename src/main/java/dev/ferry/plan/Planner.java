package dev.ferry.plan;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.SourceView;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a source schema and the values it stores into a {@link MigrationPlan}: the package's entry
 * point. Profiling scans every table once, in parallel.
 */
public final class Planner {
  private Planner() {}

  /** The plan from a full profile of every table: every value read before any type is chosen. */
  public static MigrationPlan plan(Source source, SourceSchema schema, PlanOptions options) {
    List<SourceTable> tables = tables(schema, options);
    return design(schema, tables, profileAll(source, tables, options.jobs()), options);
  }

  /**
   * A plan whose types come, for the big tables a load can check while it reads them, from a sample
   * ({@link Sampling}); the others are profiled in full. The load validates every value of a
   * sampled table against the choice and reports the table's full profile back ({@link
   * SampledTable}), so the finished plan ({@link PlanDraft#plan()} after the load) is exactly what
   * {@link #plan} gives. A table loaded in several committed chunks is sampled too: its load
   * removes what it committed and starts again when a value does not fit.
   */
  public static PlanDraft draft(
      Source source, SourceSchema schema, PlanOptions options, Sampling sampling) {
    List<SourceTable> tables = tables(schema, options);
    Map<String, TableProfiler.TableProfile> samples = new HashMap<>();
    List<SourceTable> full = new ArrayList<>();
    for (SourceTable t : tables) {
      TableProfiler.TableProfile sample = TableProfiler.sample(source, t, sampling);
      if (sample == null) {
        full.add(t);
      } else {
        samples.put(t.name(), sample);
      }
    }
    Map<String, TableProfiler.TableProfile> profiles =
        new HashMap<>(profileAll(source, full, options.jobs()));
    return new PlanDraft(source, schema, tables, options, profiles, samples);
  }

  private static List<SourceTable> tables(SourceSchema schema, PlanOptions options) {
    List<SourceTable> tables =
        schema.tables().stream().filter(t -> options.includes(t.name())).toList();
    if (!options.only().isEmpty() && tables.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "--only "
              + String.join(",", options.only())
              + " matches no table of "
              + schema.file()
              + " (tables: "
              + String.join(", ", schema.tables().stream().map(SourceTable::name).toList())
              + ")");
    }
    checkCasts(schema, options);
    return tables;
  }

  /** The plan of {@code tables} given each one's profile (by source name). */
  static MigrationPlan design(
      SourceSchema schema,
      List<SourceTable> tables,
      Map<String, TableProfiler.TableProfile> profiles,
      PlanOptions options) {
    Names names = new Names(options.keepCase());
    Map<String, String> tableNames = new HashMap<>();
    for (SourceTable t : tables) {
      tableNames.put(key(t.name()), names.reserve(names.target(t.name())));
    }
    List<dev.ferry.plan.ExtraIndex> indexes = new ArrayList<>(options.indexes());
    indexes.addAll(FullText.indexes(schema, tables));
    List<TablePlan> planned = new ArrayList<>();
    for (SourceTable t : tables) {
      planned.add(
          new TableDesigner(
                  t,
                  profiles.get(t.name()),
                  options.schema(),
                  names,
                  tableNames,
                  casts(options, t),
                  indexes,
                  options.textSearch())
              .design());
    }
    Map<String, TablePlan> byKey = new HashMap<>();
    planned.forEach(p -> byKey.put(key(p.source().name()), p));
    List<TablePlan> withKeys = new ArrayList<>();
    for (TablePlan p : planned) {
      withKeys.add(ForeignKeys.add(p, byKey, options.schema()));
    }
    withKeys.sort(Comparator.comparingLong(TablePlan::rowCount).reversed());

    List<Note> notes = new ArrayList<>(FullText.notes(schema, tables, options.textSearch()));
    List<ViewPlan> views = new ArrayList<>();
    Map<String, String> relations = new HashMap<>(tableNames);
    Map<SourceView, String> viewNames = new java.util.LinkedHashMap<>();
    for (SourceView v : schema.views()) {
      viewNames.put(v, names.reserve(names.target(v.name())));
      relations.putIfAbsent(key(v.name()), viewNames.get(v));
    }
    for (SourceView v : schema.views()) {
      String name = viewNames.get(v);
      Translation t =
          ExpressionTranslator.select(
              v.selectSql(),
              ViewBooleans.columns(dev.ferry.sql.SqlTokenizer.tokenize(v.selectSql()), byKey),
              table -> relations.get(key(table)),
              options.schema());
      String sql =
          t.ok()
              ? "CREATE VIEW "
                  + SqlText.ident(options.schema())
                  + "."
                  + SqlText.ident(name)
                  + " AS "
                  + t.sql()
              : null;
      views.add(new ViewPlan(v.name(), name, sql, t.problem()));
      if (!t.ok()) {
        notes.add(Note.notCreated("view " + v.name(), t.problem()));
      }
    }
    for (String trigger : schema.triggers()) {
      notes.add(
          new Note(
              "trigger " + trigger,
              "not carried: SQLite trigger bodies are not translated to PL/pgSQL"));
    }
    schema.leftOut().forEach((object, why) -> notes.add(new Note(object, why)));
    MigrationPlan plan =
        new MigrationPlan(schema.file(), options.schema(), List.copyOf(withKeys), views, notes);
    PlanLimits.check(plan);
    return plan;
  }

  /**
   * Every cast must name a migrated table and an existing column (ferry.yaml's line in the error).
   */
  private static void checkCasts(SourceSchema schema, PlanOptions options) {
    for (Cast cast : options.casts()) {
      String where =
          "ferry.yaml:" + cast.line() + ": cast of " + cast.table() + "." + cast.column() + ": ";
      SourceTable table =
          schema.tables().stream()
              .filter(t -> t.name().equalsIgnoreCase(cast.table()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new FerryException(
                          ErrorCode.USAGE,
                          where
                              + "no table '"
                              + cast.table()
                              + "' in "
                              + schema.file()
                              + " (tables: "
                              + String.join(
                                  ", ", schema.tables().stream().map(SourceTable::name).toList())
                              + ")"));
      if (table.column(cast.column()).isEmpty()) {
        throw new FerryException(
            ErrorCode.USAGE,
            where
                + "no column '"
                + cast.column()
                + "' in "
                + table.name()
                + " (columns: "
                + String.join(", ", table.columns().stream().map(SourceColumn::name).toList())
                + ")");
      }
    }
  }

  static Map<String, TableProfiler.TableProfile> profileAll(
      Source source, List<SourceTable> tables, int jobs) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    try {
      List<Map.Entry<String, Future<TableProfiler.TableProfile>>> futures = new ArrayList<>();
      for (SourceTable t : tables) {
        for (TableProfiler.Part part : TableProfiler.parts(source, t, jobs)) {
          futures.add(Map.entry(t.name(), pool.submit(() -> TableProfiler.profile(source, part))));
        }
      }
      Map<String, TableProfiler.TableProfile> out = new HashMap<>();
      for (var e : futures) {
        out.merge(e.getKey(), e.getValue().get(), TableProfiler.TableProfile::merge);
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FerryException fe) {
        throw fe;
      }
      throw new FerryException(
          ErrorCode.INTERNAL, "profiling failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while profiling", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The ferry.yaml casts of one table. */
  static List<Cast> casts(PlanOptions options, SourceTable t) {
    return options.casts().stream().filter(c -> c.table().equalsIgnoreCase(t.name())).toList();
  }

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The column of {@code table} a name refers to, SQLite-style (ASCII case-insensitive). */
  static ColumnPlan column(List<ColumnPlan> columns, String name) {
    for (ColumnPlan c : columns) {
      if (c.source().name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  static boolean sameColumns(List<SourceColumn> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equalsIgnoreCase(b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
