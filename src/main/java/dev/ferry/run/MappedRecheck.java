package dev.ferry.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.map.MappedTable;
import dev.ferry.map.MappedVerdict;
import dev.ferry.map.Mappings;
import dev.ferry.map.TableMapping;
import dev.ferry.source.Source;
import dev.ferry.source.SourceSchema;
import dev.ferry.sql.SqlText;
import dev.ferry.verify.Verifier;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code ferry verify} for the tables ferry.yaml's {@code map:} loads into the user's own tables:
 * each entry is checked against the source and the target's catalog as a run would, the last run
 * that loaded it (ferry.mapped_tables, for this Ferry schema, not rolled back) is found, and the
 * source is read again, transformed and converted again and compared with the rows that run
 * inserted ({@link Mappings#verify}: every row as a multiset, or with {@code count} the number of
 * its rows still there). A row changed in the target after the run is a MISMATCH naming its key; a
 * table no run loaded, whose rows were rolled back or which is gone is MISSING; an entry that no
 * longer checks, or that is not what the run loaded with (recorded in ferry.runs.options), is NOT
 * CHECKED. Only VERIFIED counts as a match.
 */
final class MappedRecheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MappedRecheck() {}

  /**
   * Of {@code candidates} (implicit entries), those a run recorded loading (not rolled back): a
   * table that merely differs from today's plan, never loaded as a map, stays Ferry's own.
   */
  static List<TableMapping> loadedAsMaps(
      List<TableMapping> candidates, SourceSchema schema, DataSource ds, String ferrySchema) {
    List<TableMapping> out = new ArrayList<>();
    for (TableMapping m : candidates) {
      MappedTable t;
      try {
        t = Mappings.resolve(List.of(m), schema, ds).tables().get(0);
      } catch (FerryException e) {
        continue; // does not check as a map: verified as Ferry's own table, which says what differs
      }
      Loaded last = lastLoad(ds, t, ferrySchema, "");
      if (last != null && !last.rolledBack()) {
        out.add(m);
      }
    }
    return out;
  }

  /** One report line per {@code map:} entry (ferry.yaml's, then the implicit ones), in order. */
  static List<TableResult> results(
      List<TableMapping> entries,
      RunOptions options,
      Source source,
      SourceSchema schema,
      PostgresTarget target,
      String ferrySchema) {
    List<TableResult> out = new ArrayList<>();
    DataSource ds = target.dataSource();
    for (TableMapping m : entries) {
      long t0 = System.nanoTime();
      String into = m.into();
      MappedTable t;
      try {
        t = Mappings.resolve(List.of(m), schema, ds).tables().get(0);
      } catch (FerryException e) {
        if (e.code() != ErrorCode.USAGE) {
          throw e;
        }
        boolean gone = !exists(ds, m);
        out.add(
            line(
                m.source(),
                into,
                gone ? "MISSING" : "NOT CHECKED",
                List.of(
                    gone
                        ? into + " does not exist in the target"
                        : "ferry.yaml's map: for "
                            + m.source()
                            + " no longer checks: "
                            + e.getMessage()),
                t0));
        continue;
      }
      into = t.target().display();
      Loaded last =
          lastLoad(ds, t, ferrySchema, options.source().toAbsolutePath().normalize().toString());
      if (last == null || last.rolledBack()) {
        out.add(
            line(
                m.source(),
                into,
                "MISSING",
                List.of(
                    last == null
                        ? "no run recorded loading " + m.source() + " into " + into
                        : "run "
                            + last.run()
                            + " loaded "
                            + m.source()
                            + " into "
                            + into
                            + ", and was rolled back"),
                t0));
        continue;
      }
      String changed = changedSince(last, m);
      if (changed != null) {
        out.add(line(m.source(), into, "NOT CHECKED", List.of(changed), t0));
        continue;
      }
      out.add(verified(t, last, options.verify(), ds, source, t0, m.implicit()));
    }
    return out;
  }

  private static TableResult verified(
      MappedTable t,
      Loaded last,
      Verifier.Mode mode,
      DataSource ds,
      Source source,
      long t0,
      boolean implicit) {
    boolean rows = mode != Verifier.Mode.COUNT;
    MappedVerdict v = Mappings.verify(ds, source, t, last.run(), last.written(), rows);
    List<String> notes = new ArrayList<>();
    notes.add(
        "mapped into "
            + t.target().display()
            + " (ferry.yaml map:) by run "
            + last.run()
            + ": "
            + (rows
                ? "every source row, after its transforms and conversion, compared with the rows"
                    + " it inserted"
                : "the number of rows it inserted still there compared"));
    if (implicit) {
      notes.add(
          "loaded by --if-exists append as an implicit map: entry (the existing table's columns"
              + " differ from Ferry's plan)");
    } else if (last.recorded() == null) {
      notes.add(
          "run "
              + last.run()
              + " did not record its map: (an older Ferry): checked against ferry.yaml as it is"
              + " now");
    }
    notes.addAll(v.notes());
    String verdict = !v.ok() ? "MISMATCH" : rows ? "VERIFIED (rows)" : "VERIFIED (count)";
    return new TableResult(
        t.source().name(),
        t.target().display(),
        Math.max(0, v.sourceRows()),
        0,
        v.inTarget(),
        0,
        0,
        0,
        (System.nanoTime() - t0) / 1e9,
        verdict,
        notes,
        Mappings.applied(ds, t, last.run()));
  }

  private static TableResult line(
      String source, String into, String verdict, List<String> notes, long t0) {
    return new TableResult(
        source, into, 0, 0, -1, 0, 0, 0, (System.nanoTime() - t0) / 1e9, verdict, notes);
  }

  /**
   * Why the run's recorded {@code map:} entry is not what ferry.yaml says now (null when they
   * agree, or when the run recorded none).
   */
  private static String changedSince(Loaded last, TableMapping m) {
    if (last.recorded() == null) {
      return null;
    }
    try {
      JsonNode then = JSON.readTree(last.recorded());
      JsonNode now = JSON.valueToTree(Mappings.spec(m));
      if (then.equals(now)) {
        return null;
      }
      return "ferry.yaml's map: for "
          + m.source()
          + " is not what run "
          + last.run()
          + " loaded with (then "
          + then
          + ", now "
          + now
          + "): verify with the ferry.yaml of that run";
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.INTERNAL, "run " + last.run() + " recorded an unreadable map: entry", e);
    }
  }

  /** The last run that loaded {@code t}. */
  private record Loaded(UUID run, long written, boolean rolledBack, String recorded) {}

  private static Loaded lastLoad(
      DataSource ds, MappedTable t, String ferrySchema, String sourceName) {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement has =
              c.prepareStatement("SELECT to_regclass('ferry.mapped_tables') IS NOT NULL");
          ResultSet h = has.executeQuery()) {
        h.next();
        if (!h.getBoolean(1)) {
          return null;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT m.run_id, m.rows_written, m.rolled_back, r.options->'map'->>m.source_table"
                  + " FROM ferry.mapped_tables m JOIN ferry.runs r USING (run_id)"
                  + " WHERE m.source_table = ? AND m.target_table = ? AND r.target_schema = ?"
                  // a run of this very file first: two sources with a table of the same name may
                  // map into one target table, each accounted for by its own run
                  + " ORDER BY r.source = ? DESC, r.started_at DESC LIMIT 1")) {
        ps.setString(1, t.source().name());
        ps.setString(2, t.target().display());
        ps.setString(3, ferrySchema);
        ps.setString(4, sourceName);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? new Loaded(
                  rs.getObject(1, UUID.class), rs.getLong(2), rs.getBoolean(3), rs.getString(4))
              : null;
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot read ferry.mapped_tables: " + e.getMessage(), e);
    }
  }

  private static boolean exists(DataSource ds, TableMapping m) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, SqlText.qualified(m.intoSchema(), m.intoTable()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE, "cannot read the target's catalog: " + e.getMessage(), e);
    }
  }
}
