package dev.ferry.map;

import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.value.CatalogType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds a {@link MappingPreview}: each entry goes through the same {@link MappingCheck} as a run
 * (its problems listed, not thrown), the first rows of its source are sampled for what they store
 * and converted on trial with the same {@link RowConverter} as the load.
 */
final class Previewer {
  private Previewer() {}

  static MappingPreview preview(
      List<TableMapping> entries, Source source, SourceSchema schema, TargetCatalog catalog)
      throws SQLException {
    MappingCheck check = new MappingCheck();
    List<MappedTable> resolved = new ArrayList<>();
    List<TableMapping> resolvedFrom = new ArrayList<>();
    List<MappingPreview.Table> out = new ArrayList<>();
    for (TableMapping m : entries) {
      int before = check.problems().size();
      MappedTable t = check.resolve(m, schema, catalog);
      List<String> problems =
          List.copyOf(check.problems().subList(before, check.problems().size()));
      if (t == null) {
        out.add(unresolved(m, problems));
      } else {
        resolved.add(t);
        resolvedFrom.add(m);
        out.add(null); // filled below, once the load order is known
      }
    }
    List<String> orderProblems = new ArrayList<>();
    List<List<MappedTable>> groups = LoadOrder.groups(resolved, orderProblems);
    for (int i = 0, r = 0; i < out.size(); i++) {
      if (out.get(i) == null) {
        MappedTable t = resolved.get(r);
        out.set(i, table(source, t, foreignKeys(t, groups), resolvedFrom.get(r).implicit()));
        r++;
      }
    }
    List<String> order = new ArrayList<>();
    for (List<MappedTable> g : groups) {
      List<String> names = g.stream().map(t -> t.target().display()).toList();
      order.add(
          g.size() == 1
              ? names.get(0)
              : String.join(" + ", names) + " (a foreign-key cycle: one transaction)");
    }
    return new MappingPreview(out, order, orderProblems);
  }

  /**
   * The target's foreign keys whose columns {@code t} writes, each with when it is checked: before
   * the insert (OrphanCheck), or by PostgreSQL at the commit of a cycle's one transaction.
   */
  private static List<String> foreignKeys(MappedTable t, List<List<MappedTable>> groups) {
    List<MappedTable> group =
        groups.stream().filter(g -> g.contains(t)).findFirst().orElse(List.of(t));
    // as MappedLoader: only a reference to a table loaded later in the group waits for the commit
    Set<String> later = new HashSet<>();
    group
        .subList(group.indexOf(t) + 1, group.size())
        .forEach(g -> later.add(g.target().display().toLowerCase(Locale.ROOT)));
    List<String> out = new ArrayList<>();
    for (ForeignKey fk : t.target().foreignKeys()) {
      if (!fk.columns().stream().allMatch(t::writes)) {
        continue;
      }
      boolean inCycle = later.contains(fk.parentDisplay().toLowerCase(Locale.ROOT));
      out.add(
          fk.name()
              + ": ("
              + String.join(", ", fk.columns())
              + ") → "
              + fk.parentDisplay()
              + " ("
              + String.join(", ", fk.parentColumns())
              + ")"
              + (inCycle
                  ? ", checked by PostgreSQL at the cycle's commit"
                  : ", checked before the insert (orphans follow --on-bad-value)"));
    }
    return out;
  }

  private static MappingPreview.Table unresolved(TableMapping m, List<String> problems) {
    return new MappingPreview.Table(
        m.source(),
        m.into(),
        List.of(),
        List.of(),
        m.drop(),
        List.of(),
        List.of(),
        0,
        0,
        null,
        problems,
        List.of(),
        m.implicit());
  }

  private static MappingPreview.Table table(
      Source source, MappedTable t, List<String> foreignKeys, boolean implicit) {
    ValueSample sample = ValueSample.of(source, t.source());
    ValueSample.Trial trial = ValueSample.trial(source, t);
    List<MappingPreview.Column> columns = new ArrayList<>();
    List<String> constants = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (MappedColumn c : t.columns()) {
      written.add(c.target().name());
      String type = c.target().type().formatted();
      if (c.source() == null) {
        constants.add(constant(c));
        continue;
      }
      String via = c.transform() != null ? "via " + c.transform().describe() + "; then " : "";
      columns.add(
          new MappingPreview.Column(
              c.source(),
              sample.column(c.source()).stored(),
              c.target().name(),
              type,
              via + words(c.target().type())));
    }
    List<String> defaults = new ArrayList<>();
    List<String> leftNull = new ArrayList<>();
    for (TargetColumn c : t.target().columns()) {
      if (written.contains(c.name())) {
        continue;
      }
      if (c.filledByServer()) {
        defaults.add(c.name());
      } else if (!c.notNull()) {
        leftNull.add(c.name());
      }
    }
    return new MappingPreview.Table(
        t.source().name(),
        t.target().display(),
        columns,
        constants,
        t.dropped(),
        defaults,
        leftNull,
        trial.rows(),
        trial.failed(),
        trial.firstFailure(),
        List.of(),
        foreignKeys,
        implicit);
  }

  /** The conversion to {@code t} in words: what fits, and that nothing is cut or rounded. */
  /** A constant of {@code set:} as plan and the report show it: {@code column = 'value' (type)}. */
  static String constant(MappedColumn c) {
    return c.target().name()
        + " = "
        + (c.constant() == null ? "NULL" : "'" + c.constant() + "'")
        + " ("
        + c.target().type().formatted()
        + ")";
  }

  static String words(CatalogType t) {
    return switch (t.kind()) {
      case TEXT -> "as is";
      case VARCHAR ->
          t.length() >= 0 ? "at most " + t.length() + " characters, never cut" : "as is";
      case CHAR -> "at most " + t.length() + " characters, no trailing spaces (never cut)";
      case SMALLINT, INTEGER, BIGINT -> "whole numbers in range (texts of one too), never rounded";
      case NUMERIC ->
          t.precision() >= 0
              ? "at most "
                  + t.precision()
                  + " digits, "
                  + t.scale()
                  + " after the point, never rounded"
              : "exact decimal";
      case REAL, DOUBLE -> "numbers the type holds exactly";
      case BOOLEAN -> "true/false, 1/0, yes/no";
      case DATE -> "ISO 8601 date";
      case TIMESTAMP -> "ISO 8601 text or a transform's time (UTC wall time)";
      case TIMESTAMPTZ -> "ISO 8601 text (UTC when it names no zone) or a transform's instant";
      case TIME -> "ISO 8601 time";
      case UUID -> "a uuid (text, or 16 bytes)";
      case JSON, JSONB -> "valid JSON text";
      case BYTEA -> "bytes (text as its UTF-8)";
      case ENUM -> "one of " + String.join(", ", t.labels());
      case ARRAY -> "an array of " + t.element().formatted();
      case DOMAIN ->
          words(t.base())
              + " (domain over "
              + t.base().formatted()
              + ": its CHECKs are the server's)";
      case OTHER -> "as text; PostgreSQL's input function decides";
    };
  }
}
