package dev.ferry.map;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.value.BadValuePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Loading into the schema the user designed (ferry.yaml {@code map:}): the package's entry point. A
 * mapping is checked once at start against the source and the target's catalog ({@link #resolve});
 * each mapped table is then loaded into its existing table ({@link MappedLoader}), verified against
 * the source again ({@link MappedVerifier}), and its inserted rows are recorded by key so that a
 * rollback removes exactly them.
 */
public final class Mappings {
  private final List<List<MappedTable>> groups;
  private final List<MappedTable> tables;

  private Mappings(List<List<MappedTable>> groups) {
    this.groups = groups.stream().map(List::copyOf).toList();
    this.tables = this.groups.stream().flatMap(List::stream).toList();
  }

  /**
   * Loads {@code t} into its target table in one transaction on a connection of {@code target},
   * recording it (and the keys of the rows it inserted) under {@code run}.
   */
  public static MappedLoad load(
      DataSource target, Source source, MappedTable t, UUID run, BadValuePolicy policy) {
    try (Connection c = target.getConnection()) {
      return MappedLoader.load(c, source, t, run, policy);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot connect to load " + t.source().name(), e);
    }
  }

  /**
   * Loads one group of {@link #groups()} in one transaction (see {@link LoadOrder}), recording each
   * table under {@code run}.
   */
  public static List<MappedLoad> load(
      DataSource target, Source source, List<MappedTable> group, UUID run, BadValuePolicy policy) {
    try (Connection c = target.getConnection()) {
      return MappedLoader.load(c, source, group, run, policy);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to load " + group.get(0).source().name(),
          e);
    }
  }

  /**
   * Verifies {@code t} against the source read again: row by row ({@code rows}) or by the count of
   * the run's rows still in the target.
   */
  public static MappedVerdict verify(
      DataSource target, Source source, MappedTable t, UUID run, long written, boolean rows) {
    try (Connection c = target.getConnection()) {
      return MappedVerifier.verify(c, source, t, run, written, rows);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot connect to verify " + t.source().name(), e);
    }
  }

  /**
   * What {@code run} did to {@code t}'s values on the way in, for the report: columns, transforms,
   * conversions, constants, dropped columns, and the rows set aside per source column (read back
   * from ferry.rejects, whose reason names the column).
   */
  public static AppliedMapping applied(DataSource target, MappedTable t, UUID run) {
    Map<String, Long> setAside = new HashMap<>();
    try (Connection c = target.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT substring(reason from '^column (.+?): '), count(*) FROM ferry.rejects"
                    + " WHERE run_id = ? AND source_table = ? GROUP BY 1")) {
      ps.setObject(1, run);
      ps.setString(2, t.source().name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          setAside.put(rs.getString(1) == null ? "(row)" : rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot read ferry.rejects: " + e.getMessage(), e);
    }
    return AppliedMapping.of(t, setAside);
  }

  /** The mapped tables {@code run} finished loading (a resumed run skips them), by source table. */
  public Map<String, MappedLoad> loaded(DataSource target, UUID run) {
    Map<String, MappedLoad> out = new HashMap<>();
    try (Connection c = target.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT source_table, rows_read, rows_written, rows_set_aside, bytes, seconds"
                    + " FROM ferry.mapped_tables WHERE run_id = ?")) {
      ps.setObject(1, run);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (MappedTable t : tables) {
            if (t.source().name().equals(rs.getString(1))) {
              out.put(
                  t.source().name(),
                  new MappedLoad(
                      t,
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getDouble(6)));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot read ferry.mapped_tables: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Why the rows {@code run} inserted into tables it did not create cannot be removed (empty when
   * they can).
   */
  public static List<String> rollbackBlockers(Connection c, UUID run) throws SQLException {
    return MappedRollback.blockers(c, run);
  }

  /**
   * Deletes the rows {@code run} inserted into tables it did not create, by their recorded keys, on
   * {@code c}'s transaction; one note per table.
   */
  public static List<String> rollback(Connection c, UUID run) throws SQLException {
    return MappedRollback.delete(c, run);
  }

  /**
   * A {@code map:} skeleton for the existing tables of {@code into} ({@code SCHEMA} or {@code
   * SCHEMA.TABLE}), as ferry.yaml text: see {@link MappingSkeleton}.
   */
  public static String skeleton(
      Source source, SourceSchema schema, DataSource target, String into) {
    int dot = into.indexOf('.');
    String intoSchema = dot > 0 ? into.substring(0, dot) : into;
    String intoTable = dot > 0 ? into.substring(dot + 1) : null;
    try (Connection c = target.getConnection()) {
      return MappingSkeleton.write(source, schema, new TargetCatalog(c), intoSchema, intoTable);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read the target's catalog for --into " + into + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * How the existing table {@code schema.table} differs from the columns Ferry plans for it ({@code
   * planned}: column → "KIND" or "VARCHAR(n)", PgType's kind names), one line per column; empty
   * when the table does not exist or matches. With --if-exists append, a table that differs is
   * loaded through an implicit map into it ({@link #implicit}).
   */
  public static List<String> appendDifferences(
      DataSource target, String schema, String table, Map<String, String> planned) {
    try (Connection c = target.getConnection()) {
      return AppendTarget.differences(new TargetCatalog(c), schema, table, planned);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read the target's catalog for " + schema + "." + table + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The map: entry that loads source table {@code source} into the existing {@code schema.table}
   * column by column ({@code columns}: source column → target column), converted to its declared
   * types like any map: entry; {@code drop}: source columns Ferry does not load (generated ones).
   */
  public static TableMapping implicit(
      String source, String schema, String table, Map<String, String> columns, List<String> drop) {
    return new TableMapping(source, schema, table, false, columns, drop, Map.of(), Map.of(), 0);
  }

  /** One {@code map:} entry as a line of ferry.yaml (what plan writes back). */
  public static String yaml(TableMapping m) {
    return MappingYaml.entry(m);
  }

  /**
   * What one {@code map:} entry says, as a JSON-ready map: a run records it (ferry.runs.options) so
   * that {@code ferry verify} can tell whether ferry.yaml still says what the run loaded with.
   */
  public static Map<String, Object> spec(TableMapping m) {
    return MappingYaml.spec(m);
  }

  /** No mapping: every table is Ferry's own. */
  public static Mappings none() {
    return new Mappings(List.of());
  }

  /**
   * The mapped tables in the order they load: a table after those whose target its foreign keys
   * reference, else in the order ferry.yaml lists them.
   */
  public List<MappedTable> tables() {
    return tables;
  }

  /**
   * The mapped tables in load groups: one table each, or the tables of a foreign-key cycle, loaded
   * together in one transaction.
   */
  public List<List<MappedTable>> groups() {
    return groups;
  }

  public boolean isEmpty() {
    return tables.isEmpty();
  }

  /** The source tables the mapping takes (lower case): the planner leaves them out. */
  public Set<String> sourceTables() {
    return tables.stream()
        .map(t -> t.source().name().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * What {@code entries} will do, for plan, inspect and the dry run: the same check as {@link
   * #resolve} with every problem listed instead of thrown, what each source column stores in the
   * first rows, and a trial conversion of them. Nothing is changed.
   */
  public static MappingPreview preview(
      List<TableMapping> entries, Source source, SourceSchema schema, DataSource target) {
    try (Connection c = target.getConnection()) {
      return Previewer.preview(entries, source, schema, new TargetCatalog(c));
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read the target's catalog to show ferry.yaml's map: " + e.getMessage(),
          e);
    }
  }

  /**
   * Checks every entry of {@code map:} against the source's schema and the target's catalog; every
   * problem of every entry is listed in one FerryException(USAGE), before anything is changed.
   */
  public static Mappings resolve(
      List<TableMapping> entries, SourceSchema schema, DataSource target) {
    if (entries.isEmpty()) {
      return none();
    }
    MappingCheck check = new MappingCheck();
    List<MappedTable> out = new ArrayList<>();
    try (Connection c = target.getConnection()) {
      TargetCatalog catalog = new TargetCatalog(c);
      for (TableMapping m : entries) {
        MappedTable t = check.resolve(m, schema, catalog);
        if (t != null) {
          out.add(t);
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot read the target's catalog to check ferry.yaml's map: " + e.getMessage(),
          e);
    }
    List<List<MappedTable>> groups = LoadOrder.groups(out, check.problems());
    if (!check.problems().isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "ferry.yaml map: "
              + check.problems().size()
              + (check.problems().size() == 1 ? " problem" : " problems")
              + ", nothing was changed:\n  - "
              + String.join("\n  - ", check.problems()));
    }
    return new Mappings(groups);
  }
}
