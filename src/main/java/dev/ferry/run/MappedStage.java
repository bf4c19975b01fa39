package dev.ferry.run;

import dev.ferry.map.MappedLoad;
import dev.ferry.map.MappedTable;
import dev.ferry.map.MappedVerdict;
import dev.ferry.map.Mappings;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.util.ArrayList;
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

  /** Checks the mapping against the source and the target; throws USAGE listing every problem. */
  static Mappings resolve(RunOptions options, SourceSchema schema, DataSource target) {
    return Mappings.resolve(options.config().map(), schema, target);
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

  /** Loads every mapped table the run has not loaded yet; returns all of them, in map: order. */
  static List<MappedLoad> load(
      Mappings mapped,
      DataSource target,
      Source source,
      UUID run,
      BadValuePolicy policy,
      Consumer<String> say) {
    Map<String, MappedLoad> done = mapped.loaded(target, run);
    List<MappedLoad> out = new ArrayList<>();
    for (MappedTable t : mapped.tables()) {
      MappedLoad l = done.get(t.source().name());
      if (l == null) {
        l = Mappings.load(target, source, t, run, policy);
        say.accept(
            String.format(
                "Mapped %s into %s: %,d rows",
                t.source().name(), t.target().display(), l.rowsWritten()));
      }
      out.add(l);
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
              + " (ferry.yaml map:); "
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
