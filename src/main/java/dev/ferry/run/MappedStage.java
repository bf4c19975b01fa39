package dev.ferry.run;

import dev.ferry.load.IfExists;
import dev.ferry.map.MappedLoad;
import dev.ferry.map.MappedTable;
import dev.ferry.map.MappedVerdict;
import dev.ferry.map.Mappings;
import dev.ferry.map.TableMapping;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The mapped tables of one run (ferry.yaml {@code map:}): checked at start, before anything is
 * recorded; left out of Ferry's own plan; loaded into the user's tables after Ferry's own tables,
 * keys and views (so the tables they reference are there); verified against the source read again;
 * one report line each. A resumed run skips the mapped tables its earlier attempt committed.
 */
final class MappedStage {
  private MappedStage() {}

  /**
   * Checks the mapping against the source and the target; throws USAGE listing every problem. With
   * --if-exists append, a planned table whose existing target's columns differ from the plan (a
   * type, a missing or an extra column) joins the mapping as an implicit entry into that table: its
   * values are converted to the declared types, checked, set aside or stopped on as --on-bad-value
   * says, and verified, instead of failing inside a binary COPY of the planned types.
   */
  static Mappings resolve(
      RunOptions options,
      SourceSchema schema,
      DataSource target,
      MigrationPlan plan,
      Consumer<String> say) {
    List<TableMapping> entries = new ArrayList<>(options.config().map());
    if (options.ifExists() == IfExists.APPEND) {
      Set<String> taken = new HashSet<>();
      entries.forEach(e -> taken.add(e.source().toLowerCase(Locale.ROOT)));
      for (TablePlan t : plan.tables()) {
        if (!taken.contains(t.source().name().toLowerCase(Locale.ROOT))) {
          TableMapping implicit = implicitAppend(t, target, say);
          if (implicit != null) {
            entries.add(implicit);
          }
        }
      }
    }
    return Mappings.resolve(entries, schema, target);
  }

  /**
   * The implicit entries a run with --if-exists append would have made for {@code plan}'s tables
   * (their existing target tables differ from the plan), for {@code ferry verify} to check them as
   * the mapped tables they were loaded as.
   */
  static List<TableMapping> implicitEntries(MigrationPlan plan, DataSource target) {
    List<TableMapping> out = new ArrayList<>();
    for (TablePlan t : plan.tables()) {
      TableMapping m = implicitAppend(t, target, said -> {});
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** The implicit map: entry into {@code t}'s existing table, or null when it matches the plan. */
  private static TableMapping implicitAppend(TablePlan t, DataSource target, Consumer<String> say) {
    Map<String, String> planned = new LinkedHashMap<>();
    Map<String, String> columns = new LinkedHashMap<>();
    List<String> drop = new ArrayList<>();
    for (ColumnPlan c : t.columns()) {
      PgType type = c.type();
      planned.put(
          c.name(),
          type.kind().name()
              + (type.kind() == PgType.Kind.VARCHAR ? "(" + type.length() + ")" : ""));
      if (!c.loaded()) {
        drop.add(c.source().name());
      } else if (!c.name().equals(c.source().name())) {
        columns.put(c.source().name(), c.name());
      }
    }
    List<String> differ = Mappings.appendDifferences(target, t.schema(), t.name(), planned);
    if (differ.isEmpty()) {
      return null;
    }
    say.accept(
        "Appending "
            + t.source().name()
            + " into the existing "
            + t.schema()
            + "."
            + t.name()
            + " as a map: entry would (its columns differ from Ferry's plan: "
            + String.join("; ", differ)
            + "): values are converted to its declared types, checked before the load, set aside"
            + " or stopped on as --on-bad-value says, and verified");
    return Mappings.implicit(t.source().name(), t.schema(), t.name(), columns, drop);
  }

  /** The plan without the tables the mapping takes. */
  static MigrationPlan without(MigrationPlan plan, Mappings mapped) {
    if (mapped.isEmpty()) {
      return plan;
    }
    Set<String> taken = mapped.sourceTables();
    List<TablePlan> tables =
        plan.tables().stream()
            .filter(t -> !taken.contains(t.source().name().toLowerCase(Locale.ROOT)))
            .toList();
    return new MigrationPlan(plan.source(), plan.schema(), tables, plan.views(), plan.notes());
  }

  /**
   * Loads every mapped table the run has not loaded yet, parents before children (see {@link
   * Mappings#tables()}); returns all of them, in that order.
   */
  static List<MappedLoad> load(
      Mappings mapped,
      DataSource target,
      Source source,
      UUID run,
      BadValuePolicy policy,
      Consumer<String> say) {
    Map<String, MappedLoad> done = mapped.loaded(target, run);
    List<MappedLoad> out = new ArrayList<>();
    for (List<MappedTable> group : mapped.groups()) {
      MappedLoad l = done.get(group.get(0).source().name()); // a group commits all or nothing
      if (l != null) {
        group.forEach(t -> out.add(done.get(t.source().name())));
        continue;
      }
      for (MappedLoad loaded : Mappings.load(target, source, group, run, policy)) {
        MappedTable t = loaded.table();
        say.accept(
            String.format(
                "Mapped %s into %s: %,d rows",
                t.source().name(), t.target().display(), loaded.rowsWritten()));
        out.add(loaded);
      }
    }
    return out;
  }

  /** One report line per mapped table. */
  static List<TableResult> results(
      List<MappedLoad> loads, DataSource target, Source source, UUID run, Verifier.Mode mode) {
    List<TableResult> out = new ArrayList<>();
    for (MappedLoad l : loads) {
      MappedTable t = l.table();
      boolean rows = mode != Verifier.Mode.COUNT;
      MappedVerdict v = Mappings.verify(target, source, t, run, l.rowsWritten(), rows);
      List<String> notes = new ArrayList<>();
      notes.add(
          "mapped into "
              + t.target().display()
              + (t.mapping().line() > 0
                  ? " (ferry.yaml map:); "
                  : " (--if-exists append into a table whose columns differ from Ferry's plan,"
                      + " as a map: entry would); ")
              + (t.keyed()
                  ? "the keys of its inserted rows are in ferry.mapped_rows"
                  : "no primary key: a rollback cannot remove these rows"));
      if (!t.dropped().isEmpty()) {
        notes.add("columns not carried (drop:): " + String.join(", ", t.dropped()));
      }
      notes.addAll(v.notes());
      String verdict;
      if (!v.ok()) {
        verdict = "MISMATCH";
      } else if (l.setAside() > 0) {
        verdict = String.format("SET ASIDE %,d", l.setAside());
      } else {
        verdict = rows ? "VERIFIED (rows)" : "VERIFIED (count)";
      }
      out.add(
          new TableResult(
              t.source().name(),
              t.target().display(),
              l.rowsRead(),
              l.rowsWritten(),
              v.inTarget(),
              0,
              l.setAside(),
              l.bytes(),
              l.seconds(),
              verdict,
              notes,
              Mappings.applied(target, t, run)));
    }
    return out;
  }
}
