package dev.ferry.map;

import dev.ferry.value.CatalogType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How an existing table that {@code --if-exists append} would load into differs from the table
 * Ferry would create: a column whose declared type is not the planned one (varchar(20) where Ferry
 * plans text, integer for bigint, json for jsonb, a domain, an enum), a column the table lacks, or
 * a column of its own. Such a table cannot take Ferry's binary COPY of its planned types; it is
 * loaded through an implicit map instead (see {@link Mappings#appendDifferences}).
 */
final class AppendTarget {
  private AppendTarget() {}

  /**
   * The differences, one line each; empty when the table does not exist or is what Ferry plans.
   * {@code planned}: target column → planned type as "KIND" or "VARCHAR(n)" (PgType's kind names).
   */
  static List<String> differences(
      TargetCatalog catalog, String schema, String table, Map<String, String> planned)
      throws SQLException {
    Optional<TargetTable> found = catalog.table(schema, table);
    if (found.isEmpty()) {
      return List.of();
    }
    TargetTable t = found.get();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> p : planned.entrySet()) {
      Optional<TargetColumn> c = t.column(p.getKey());
      if (c.isEmpty()) {
        out.add(p.getKey() + ": not a column of " + t.display());
      } else if (!same(c.get().type(), p.getValue())) {
        out.add(
            p.getKey()
                + ": "
                + c.get().type().formatted()
                + " where Ferry plans "
                + p.getValue().toLowerCase(Locale.ROOT));
      }
    }
    for (TargetColumn c : t.columns()) {
      if (planned.keySet().stream().noneMatch(n -> n.equalsIgnoreCase(c.name()))) {
        out.add(
            c.name()
                + ": a column of "
                + t.display()
                + " only"
                + (c.notNull() && !c.filledByServer() ? " (NOT NULL, no default)" : ""));
      }
    }
    return out;
  }

  private static boolean same(CatalogType type, String planned) {
    String kind = type.kind().name();
    if (type.kind() == CatalogType.Kind.VARCHAR) {
      return planned.equals(kind + "(" + type.length() + ")");
    }
    if (type.kind() == CatalogType.Kind.NUMERIC && type.precision() >= 0) {
      return false;
    }
    return planned.equals(kind);
  }
}
